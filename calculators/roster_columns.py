"""A roster's header row and which column is which (id, name, days enrolled, absent, present).

The header is the first of the first rows that names days absent and days enrolled or present (an
export's title rows above it are skipped and reported); names are matched as exports spell them
(`COLUMN_NAMES`), or as the user chose them in the column step.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from .errors import InputError
from .table_file import Table

# Header names accepted for each column, after lower-casing and turning spaces, dashes, dots and
# slashes into underscores ("Days Enrolled" -> days_enrolled, "Student #" -> student_no).
COLUMN_NAMES: dict[str, tuple[str, ...]] = {
    "id": ("id", "student_id", "student_no", "student_number", "student_num", "stu_id", "sis_id", "local_id",
           "ssid", "statewide_student_id", "perm_id", "district_id", "student_id_number", "no", "number"),
    "name": ("name", "student", "student_name", "label", "student_label", "full_name", "student_full_name",
             "last_first", "name_last_first", "last_name_first_name", "pupil", "pupil_name"),
    "enrolled": ("enrolled", "days_enrolled", "enrolled_days", "days_enroll", "enrollment_days", "days_of_enrollment",
                 "days_in_membership", "membership_days", "days_membership", "days_of_membership", "membership",
                 "total_days_enrolled", "days_possible", "possible_days"),
    "absent": ("absent", "days_absent", "absent_days", "absences", "days_absences", "total_absences",
               "total_days_absent", "absence_days", "total_absent", "days_absent_total", "days_of_absence"),
    "present": ("present", "days_present", "present_days", "days_attended", "attended", "attended_days",
                "total_days_present", "days_in_attendance", "attendance_days"),
}
ROLES = tuple(COLUMN_NAMES)
ROLE_NAMES = {"id": "student ID", "name": "student name", "enrolled": "days enrolled", "absent": "days absent", "present": "days present"}
HEADER_SEARCH_ROWS = 30  # title rows an export may put above its header

def _normal(name: str) -> str:
    out = name.strip().strip('"').strip().lower().replace("#", "no")
    for char in " -./()":
        out = out.replace(char, "_")
    while "__" in out:
        out = out.replace("__", "_")
    return out.strip("_")


def letter(index: int) -> str:
    """The spreadsheet's column letter: 0 -> A, 26 -> AA."""
    out = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        out = chr(65 + rest) + out
    return out


@dataclass
@dataclass
class Layout:
    header_row: int  # 0-based index of the header in the table
    headers: list[str]
    roles: dict[str, int]  # role -> column index
    title_rows: list[dict[str, Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _guess_roles(cells: Sequence[str]) -> tuple[dict[str, int], list[str]]:
    found: dict[str, int] = {}
    notes: list[str] = []
    for index, cell in enumerate(cells):
        normal = _normal(cell)
        for role, names in COLUMN_NAMES.items():
            if normal in names:
                if role in found:
                    notes.append(f"Two columns could be {ROLE_NAMES[role]} (“{cells[found[role]].strip()}” and “{cell.strip()}”): “{cells[found[role]].strip()}” was used; choose the other in the column step if it is the right one.")
                else:
                    found[role] = index
                break
    return found, notes


def _chosen_roles(cells: Sequence[str], chosen: Mapping[str, str]) -> dict[str, int] | None:
    """Column indexes for the user's choice of header names, or None when this row lacks one."""
    stripped = [c.strip() for c in cells]
    roles: dict[str, int] = {}
    for role, name in chosen.items():
        if not name:
            continue
        if name.strip() not in stripped:
            return None
        roles[role] = stripped.index(name.strip())
    return roles


def check_choice(chosen: object) -> dict[str, str]:
    """role -> header text; "" means "no such column" (the user chose none)."""
    if chosen is None:
        return {}
    if not isinstance(chosen, Mapping):
        raise InputError("columns", "“columns” must map a role (id, name, enrolled, absent, present) to a header name.")
    out: dict[str, str] = {}
    for role, name in chosen.items():
        if role not in ROLES:
            raise InputError(f"columns.{role}", f"Unknown column role “{role}”: use {', '.join(ROLES)}.")
        if name is not None and not isinstance(name, str):
            raise InputError(f"columns.{role}", f"The {ROLE_NAMES[role]} column must be named by its header text.")
        out[role] = (name or "").strip()
    return out


def find_layout(table: Table, chosen: Mapping[str, str]) -> Layout:
    """Which row is the header and which column is which: the user's choice, else guessed."""
    best: tuple[int, int, dict[str, int], list[str]] | None = None  # (score, row, roles, notes)
    first_filled: int | None = None
    limit = min(len(table), HEADER_SEARCH_ROWS)
    for index in range(limit):
        cells = table.row(index)
        if not any(c.strip() for c in cells):
            continue
        if first_filled is None:
            first_filled = index
        if any(chosen.values()):
            picked = _chosen_roles(cells, chosen)
            if picked is not None:
                # Roles the choice does not mention are guessed, in columns it leaves free.
                guessed, notes = _guess_roles(cells)
                for role, column in guessed.items():
                    if role not in chosen and column not in picked.values():
                        picked[role] = column
                best = (9, index, picked, [])
                break
            continue
        roles, notes = _guess_roles(cells)
        score = ("absent" in roles) + ("enrolled" in roles or "present" in roles) * 2 + ("id" in roles or "name" in roles)
        if score >= 3:
            best = (score, index, roles, notes)
            break
        if roles and (best is None or score > best[0]):
            best = (score, index, roles, notes)
    if first_filled is None:
        raise InputError("csv", "The file is empty: the first line must be a header such as Student ID, Days Enrolled, Days Absent.")
    if any(chosen.values()) and best is None:
        names = ", ".join(f"“{n}”" for n in chosen.values() if n)
        raise InputError("columns", f"No row among the first {limit} has every chosen column ({names}): choose the columns again for this file.")
    if best is None:
        index, roles, notes = first_filled, {}, []
    else:
        _, index, roles, notes = best
    headers = [c.strip() for c in table.row(index)]
    layout = Layout(index, headers, roles, notes=notes)
    for above in range(index):
        cells = [c.strip() for c in table.row(above) if c.strip()]
        if cells:
            layout.title_rows.append({"row": above + 1, "text": " ".join(cells)[:120]})
    if layout.title_rows:
        rows = ", ".join(str(t["row"]) for t in layout.title_rows)
        layout.notes.insert(0, f"The header is row {index + 1}; row{'s' if len(layout.title_rows) > 1 else ''} {rows} above it (a title) {'were' if len(layout.title_rows) > 1 else 'was'} skipped: “{layout.title_rows[0]['text']}”.")
    return layout


def missing_columns(layout: Layout) -> str | None:
    roles = layout.roles
    row = f"the header is row {layout.header_row + 1}"
    if "absent" not in roles and "enrolled" not in roles and "present" not in roles:
        return f"The header has no enrolled column and no absent column ({row}): name them, e.g. Days Enrolled and Days Absent (or Days Present and Days Absent), or choose them in the column step."
    if "absent" not in roles:
        return f"The header has no absent column ({row}): name one column Days Absent, Absences or Total Absences, or choose it in the column step."
    if "enrolled" not in roles and "present" not in roles:
        return f"The header has no enrolled column ({row}): name one column Days Enrolled or Days in Membership (or give Days Present, and enrolled = present + absent), or choose it in the column step."
    return None

def confident(layout: Layout) -> bool:
    """The columns were recognised without doubt: every needed column found, none ambiguous, so the
    roster may be computed at once (the column step is still shown, to change them)."""
    return missing_columns(layout) is None and not any(note.startswith("Two columns could be") for note in layout.notes)
