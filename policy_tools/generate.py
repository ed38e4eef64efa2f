"""Write the policy pages (Markdown) and the /ref/<id>/ redirect pages from policy_data/.

    python -m policy_tools.generate          # or run(root), a step of policy_tools.prepare

Output (never committed, see .gitignore): docs/policy/, docs/reference/, docs/includes/ and
docs/ref/<id>/index.html. Plain Python: any builder that reads mkdocs.yml can render the result.
Links between pages are Markdown links to `.md` files with anchors, so `mkdocs build --strict`
checks every one of them. Bulletin wording comes only from fields named `text`.
"""
from __future__ import annotations

import datetime
import html
import posixpath
import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from policy_tools.files import write_if_changed
from policy_tools.linkify import Found, escape, external_link, find_citations, linkify, reference_key, statute_id
from policy_tools.policy_data import Bulletin, Section, Statute, load_bulletin

ROOT = Path(__file__).resolve().parents[1]
GENERATED_DIRS = ("policy", "reference", "ref")
ABBREVIATIONS = "includes/abbreviations.md"
TOPICS = {"enrollment": "Enrollment", "attendance": "Attendance", "withdrawal": "Withdrawal"}
# Display order and names of the roles a duty names (DESIGN.md, section file `roles`).
ROLE_NAMES = {
    "principal": "Principal",
    "school_administrator": "School administrator",
    "teacher": "Teacher",
    "designated_school_staff": "Designated school staff",
    "school_staff": "School staff",
    "parent_guardian": "Parent/guardian",
    "student": "Student",
    "district_office": "District office",
}
# Rules file (policy_data/rules/<stem>.yaml) -> the calculator page that applies it.
CALCULATORS = {
    "chronic": ("calculators/chronic-absence.md", "Chronic absence calculator"),
    "excused": ("calculators/excused-absences.md", "Excused-absence limits"),
    "withdrawal": ("calculators/withdrawal.md", "Withdrawal documents"),
}
ELIBRARY_FALLBACK = "https://my.lausd.net/webcenter/portal/LAUSD"


class GenerateError(Exception):
    """The data cannot be turned into pages; the message names the file, id and the fix."""


def official_url(code: str, section: str, title: int | str | None) -> str | None:
    """Where the official text of a statute is read (issue 4)."""
    bare = re.sub(r"\(.*$|\s+et\s+seq\.$", "", section)
    if code == "EDC":
        return f"https://leginfo.legislature.ca.gov/faces/codes_displaySection.xhtml?lawCode=EDC&sectionNum={bare}"
    if code == "CCR":
        return f"https://www.law.cornell.edu/regulations/california/{title}-CCR-{bare}"
    if code == "USC":
        return f"https://www.law.cornell.edu/uscode/text/{title}/{bare}"
    return None


def page_url(page: str) -> str:
    """Directory URL MkDocs gives a page: `policy/xii.md` -> `policy/xii/`, `index.md` -> ``."""
    stem = page[: -len(".md")]
    if stem == "index":
        return ""
    if stem.endswith("/index"):
        return stem[: -len("index")]
    return stem + "/"


def md_link(from_page: str, to_page: str, anchor: str = "") -> str:
    """Relative link to a Markdown file, the form MkDocs validates (file and anchor)."""
    path = posixpath.relpath(to_page, posixpath.dirname(from_page) or ".")
    return f"{path}#{anchor}" if anchor else path


def url_link(from_page: str, to_url: str) -> str:
    """Relative link from a page to a built URL (for raw HTML MkDocs does not rewrite)."""
    depth = page_url(from_page).count("/")
    return "../" * depth + to_url


@dataclass(frozen=True)
class Target:
    """Where an id lives: the page, the anchor on it ("" for the top) and how it is labelled."""

    page: str
    anchor: str
    label: str
    context: str = ""      # e.g. the section title, shown beside the label


@dataclass
class StatuteEntry:
    id: str
    code: str
    section: str
    title: int | str | None
    label: str
    name: str = ""          # the Authority list's title ("Authorized Excused Absences")
    listed: bool = False    # printed under Authority
    cited_in: list[str] = field(default_factory=list)


@dataclass
class Resource:
    key: str                # anchor: bul-6718.0
    number: str
    title: str
    date: str
    link: str | None
    note: str = ""
    cited_in: list[str] = field(default_factory=list)


@dataclass
class Text:
    """One piece of bulletin wording and the id of the block that shows it."""

    owner: str
    text: str
    statutes: list[Statute] = field(default_factory=list)


class SiteWriter:
    def __init__(self, bulletin: Bulletin, applied_in: dict[str, list[str]] | None = None) -> None:
        self.b = bulletin
        # block id -> calculator pages whose rules come from it ("Apply it" links).
        self.applied_in = applied_in or {}
        self.number = str(bulletin.meta.get("number", "BUL-4926.4"))
        self.targets: dict[str, Target] = {}
        self.statutes: dict[str, StatuteEntry] = {}
        self.resources: dict[str, Resource] = {}
        self.resource_alias: dict[str, str] = {}
        self.elibrary = ELIBRARY_FALLBACK
        self._index_targets()
        self._index_resources()
        self._index_statutes()

    # ----- indexes -------------------------------------------------------------------------

    def _add_target(self, ident: str, target: Target) -> None:
        if ident in self.targets:
            raise GenerateError(f"id `{ident}` is used twice in policy_data/bulletin: ids must be unique")
        self.targets[ident] = target

    def _index_targets(self) -> None:
        front = self.b.front
        for key in ("purpose", "background", "guidelines"):
            part = front.get(key)
            if isinstance(part, dict):
                self._add_target(part["id"], Target("policy/index.md", part["id"], part.get("title", key.title())))
        changes = front.get("major_changes") or {}
        if changes:
            self._add_target(changes["id"], Target("policy/whats-new.md", "", "Major Changes"))
        for item in changes.get("items", []):
            self._add_target(item["id"], Target("policy/whats-new.md", item["id"], f"Major change {item['number']}"))
            for sub in item.get("items", []):
                label = f"Major change {item['number']}.{sub['letter']}"
                self._add_target(sub["id"], Target("policy/whats-new.md", sub["id"], label))
        for section in self.b.sections:
            page = f"policy/{section.id}.md"
            self._add_target(section.id, Target(page, "", f"{section.numeral}. {section.title}"))
            for paragraph in section.paragraphs:
                self._add_target(paragraph.id, Target(page, paragraph.id, paragraph.label, section.title))
        self._add_target(self.b.authority.get("id", "authority"), Target("reference/authority.md", "", "Authority"))
        related_id = self.b.related_resources.get("id", "related-resources")
        self._add_target(related_id, Target("reference/related-resources.md", "", "Related Resources"))
        assistance = self.b.assistance
        self._add_target(assistance.get("id", "assistance"), Target("reference/assistance.md", "", "Assistance"))
        attachments = assistance.get("attachments") or {"id": "attachments"}
        self._add_target(attachments["id"], Target("reference/assistance.md", attachments["id"], "Attachments"))

    def _index_resources(self) -> None:
        data = self.b.related_resources
        self.elibrary = _first_url(data.get("elibrary")) or self.elibrary
        for entry in _entries(data, ("resources", "bulletins", "items")):
            number = str(entry.get("number") or entry.get("id") or "")
            key = reference_key(number)
            self.resources[key] = Resource(
                key=str(entry.get("id") or key),
                number=number,
                title=str(entry.get("title", "")),
                date=str(entry.get("date", "")),
                link=entry.get("link") or entry.get("url"),
                note=str(entry.get("note", "")),
            )
        # The text often cites a bulletin without its revision ("BUL-6718" for BUL-6718.0).
        bases: dict[str, list[str]] = {}
        for key in self.resources:
            bases.setdefault(key.split(".")[0], []).append(key)
        self.resource_alias = {base: keys[0] for base, keys in bases.items() if len(keys) == 1}

    def resource_for(self, key: str) -> Resource | None:
        if key in self.resources:
            return self.resources[key]
        if "." not in key and key in self.resource_alias:
            return self.resources[self.resource_alias[key]]
        return None

    def _statute(self, code: str, section: str, title: int | str | None, label: str = "") -> StatuteEntry:
        ident = statute_id(code, section, title)
        if ident not in self.statutes:
            bare = re.sub(r"\(.*$|\s+et\s+seq\.$", "", section)
            if not label:
                label = Statute(code=code, section=bare, title=int(title) if title is not None else None).label
            self.statutes[ident] = StatuteEntry(ident, code, bare, title, label)
        return self.statutes[ident]

    def _index_statutes(self) -> None:
        for entry in _entries(self.b.authority, ("citations", "statutes", "entries", "items")):
            name = str(entry.get("title") or entry.get("name") or "")
            for data in entry.get("statutes") or [entry]:
                statute = Statute.from_yaml(data)
                record = self._statute(statute.code, statute.section, statute.title)
                record.listed = True
                record.name = record.name or name
        # "Cited in": the structured `statutes` of each block, and any citation its text prints.
        for piece in self.texts():
            ids = [statute_id(s.code, s.section, s.title) for s in piece.statutes]
            for s in piece.statutes:
                self._statute(s.code, s.section, s.title)
            for found in find_citations(piece.text, self.number):
                if found.kind == "statute":
                    code, *rest = found.key.split("-")
                    title = rest[0] if len(rest) == 2 else None
                    self._statute(code.upper(), rest[-1], title)
                    ids.append(found.key)
                elif found.kind == "reference":
                    resource = self.resource_for(found.key)
                    if resource and piece.owner not in resource.cited_in:
                        resource.cited_in.append(piece.owner)
            for ident in ids:
                if piece.owner not in self.statutes[ident].cited_in:
                    self.statutes[ident].cited_in.append(piece.owner)

    def texts(self) -> Iterable[Text]:
        """Every block of bulletin wording shown on the policy pages, in bulletin order."""
        front = self.b.front
        for key in ("purpose", "background"):
            part = front.get(key)
            if isinstance(part, dict):
                yield Text(part["id"], part.get("text", ""), _statutes(part))
        changes = front.get("major_changes") or {}
        if changes:
            yield Text(changes["id"], changes.get("text", ""), _statutes(changes))
        for item in changes.get("items", []):
            yield Text(item["id"], item.get("text", ""), _statutes(item))
            for sub in item.get("items", []):
                yield Text(sub["id"], sub.get("text", ""), _statutes(sub))
        part = front.get("guidelines")
        if isinstance(part, dict):
            yield Text(part["id"], part.get("text", ""), _statutes(part))
        for section in self.b.sections:
            for paragraph in section.paragraphs:
                yield Text(paragraph.id, paragraph.text, list(paragraph.statutes))

    # ----- shared pieces -------------------------------------------------------------------

    def link_to(self, from_page: str, ident: str, label: str | None = None) -> str:
        target = self.targets.get(ident)
        if target is None:
            resource = self.resource_for(ident)
            if resource is None and not self.resources and re.match(r"(bul|ref)-", ident):
                # related_resources.yaml not written yet: the page exists, its entries do not.
                return f"[{escape(ident.upper())}]({md_link(from_page, 'reference/related-resources.md')})"
            if resource is None:
                raise GenerateError(f"`{ident}` is not the id of any bulletin part, paragraph or related resource")
            return f"[{escape(resource.number)}]({md_link(from_page, 'reference/related-resources.md', resource.key)})"
        text = escape(label or target.label)
        return f"[{text}]({md_link(from_page, target.page, target.anchor)})"

    def text_md(self, text: str, page: str) -> str:
        """Markdown for any text on a page (bulletin wording, notes, definitions, readings): every
        statute, bulletin and address in it a link (DESIGN.md: a statute to its Authority entry, or
        to its official text when the Authority page has no entry for it)."""

        def href(found: Found) -> str | None:
            if found.kind == "statute":
                if found.key in self.statutes:
                    return md_link(page, "reference/authority.md", found.key)
                code, *rest = found.key.split("-")
                return official_url(code.upper(), rest[-1], rest[0] if len(rest) == 2 else None)
            if found.kind == "reference":
                resource = self.resource_for(found.key)
                if resource is not None:
                    return md_link(page, "reference/related-resources.md", resource.key)
                return self.elibrary
            return found.key

        return linkify(text, href, self.number)

    def copy_button(self, ident: str, label: str, page: str) -> str:
        ref = url_link(page, f"ref/{ident}/")
        return (
            f'<p class="policy-actions" data-search-exclude="true"><button type="button" class="policy-copy" '
            f'data-ref="{html.escape(ref)}">Copy link<span class="policy-visually-hidden"> to '
            f"{html.escape(label)}</span></button></p>"
        )

    def block(self, ident: str, label: str, body_md: str, page: str, extra: str = "") -> str:
        """A paragraph with its label (a link to its permanent address) and a copy-link button."""
        ref = url_link(page, f"ref/{ident}/")
        name = self.targets[ident].label
        label_html = (
            f'<a class="policy-label" href="{html.escape(ref)}" title="Permanent address of {html.escape(name)}">'
            f"{html.escape(label)}</a>"
        )
        parts = [f'<div class="policy-paragraph" id="{ident}" markdown>', f"{label_html} {body_md}", ""]
        if extra:
            parts += [extra, ""]
        parts += [self.copy_button(ident, name, page), "</div>", ""]
        return "\n".join(parts)

    def note_md(self, note: str, page: str) -> str:
        return f'<p class="policy-note" markdown>*Note (ours, not the bulletin’s):* {self.text_md(" ".join(note.split()), page)}</p>'

    # ----- pages ---------------------------------------------------------------------------

    def pages(self) -> dict[str, str]:
        out = {
            "policy/index.md": self.overview_page(),
            "policy/whats-new.md": self.whats_new_page(),
        }
        for section in self.b.sections:
            out[f"policy/{section.id}.md"] = self.section_page(section)
        out["reference/authority.md"] = self.authority_page()
        out["reference/related-resources.md"] = self.resources_page()
        out["reference/assistance.md"] = self.assistance_page()
        out["reference/glossary.md"] = self.glossary_page()
        out["reference/roles.md"] = self.roles_page()
        out["reference/time-limits.md"] = self.time_limits_page()
        out[ABBREVIATIONS] = self.abbreviations()
        return out

    def _head(self, title: str, anchor: str = "", description: str = "") -> list[str]:
        lines = ["---", f"title: {_yaml_str(title)}"]
        if description:
            lines.append(f"description: {_yaml_str(description)}")
        lines += ["---", "", f"# {escape(title)}" + (f" {{ #{anchor} }}" if anchor else ""), ""]
        return lines

    def overview_page(self) -> str:
        page = "policy/index.md"
        meta = self.b.meta
        front = self.b.front
        lines = self._head(f"About {self.number}", description=f"Purpose of {self.number} and how its guidelines are organized.")
        lines += [
            f"**{escape(self.number)}**, *{escape(str(meta.get('title', '')))}*, "
            f"{escape(_date(meta.get('date')))}, {escape(str(meta.get('division', '')))}."
            + (f" It replaces {self.text_md(str(meta['replaces']), page)}." if meta.get("replaces") else ""),
            "",
        ]
        for key in ("purpose", "background", "guidelines"):
            part = front.get(key)
            if not isinstance(part, dict):
                continue
            title = part.get("title", key.title())
            lines += [f"## {escape(title)} {{ #{part['id']} }}", "", self.text_md(part.get("text", ""), page), ""]
            lines += [self.copy_button(part["id"], title, page), ""]
            if key == "guidelines":
                lines += self._section_list(page)
        lines += [
            "## How to read these pages { #how-to-read }",
            "",
            "Headings and paragraph labels keep the bulletin’s numbering: paragraph *c* of section XII is "
            f"labelled XII.c and has the address `/ref/xii-c/`, which always leads to it. The scanned "
            "bulletin lost many paragraph letters; they are restored in order. Text in grey boxes marked "
            "*Note* is ours, not the bulletin’s. "
            f"[What changed from {escape(str(meta.get('replaces', 'the previous bulletin')))}]"
            f"({md_link(page, 'policy/whats-new.md')}) lists every Major Change with the paragraphs it touches.",
            "",
        ]
        return "\n".join(lines)

    def _section_list(self, page: str) -> list[str]:
        lines: list[str] = []
        for topic, name in TOPICS.items():
            sections = [s for s in self.b.sections if s.topic == topic]
            if not sections:
                continue
            lines += [f"**{name}**", ""]
            lines += [f"- {self.link_to(page, s.id)}" for s in sections]
            lines.append("")
        return lines

    def whats_new_page(self) -> str:
        page = "policy/whats-new.md"
        changes = self.b.front.get("major_changes") or {}
        lines = self._head(
            f"What's new in {self.number}",
            changes.get("id", "major-changes"),
            description=f"Every Major Change of {self.number}, linked to the paragraphs it applies to.",
        )
        if changes.get("text"):
            lines += [self.text_md(changes["text"], page), ""]
            lines += [self.copy_button(changes["id"], "Major Changes", page), ""]
        for item in changes.get("items", []):
            lines.append(self.block(item["id"], f"{item['number']}.", self.text_md(item.get("text", ""), page), page,
                                    self._applies(item, page)))
            for sub in item.get("items", []):
                label = f"{item['number']}.{sub['letter']}"
                block = self.block(sub["id"], label, self.text_md(sub.get("text", ""), page), page, self._applies(sub, page))
                lines.append(block.replace('class="policy-paragraph"', 'class="policy-paragraph policy-subitem"', 1))
        return "\n".join(lines)

    def _applies(self, item: dict[str, Any], page: str) -> str:
        links = []
        for ident in item.get("applies_to", []):
            target = self.targets.get(ident)
            link = self.link_to(page, ident)
            if target is not None and target.context:
                link += f" ({escape(target.context)})"
            elif target is not None and target.anchor == "" and ident in {s.id for s in self.b.sections}:
                link = self.link_to(page, ident, f"Section {self.targets[ident].label}")
            links.append(link)
        out = f'<p class="policy-applies" markdown>Applies to: {"; ".join(links)}</p>' if links else ""
        if item.get("note"):
            out += ("\n\n" if out else "") + self.note_md(item["note"], page)
        apply_it = self._apply_it(item["id"], page)
        return f"{out}\n\n{apply_it}" if out and apply_it else out or apply_it

    def _apply_it(self, ident: str, page: str) -> str:
        calculators = self.applied_in.get(ident, [])
        if not calculators:
            return ""
        links = [f"[{escape(CALCULATORS[c][1])}]({md_link(page, CALCULATORS[c][0])})" for c in calculators]
        return f'<p class="policy-apply" markdown>Apply it: {", ".join(links)}</p>'

    def section_page(self, section: Section) -> str:
        page = f"policy/{section.id}.md"
        title = f"{section.numeral}. {section.title}"
        lines = self._head(title, section.id, description=f"{self.number} section {section.numeral}: {section.title}.")
        lines += [
            f'<p class="policy-section-meta">{TOPICS.get(section.topic, section.topic.title())} · '
            f"{html.escape(self.number)} section {section.numeral} · printed heading: {html.escape(section.text)}</p>",
            "",
            self.copy_button(section.id, f"section {section.numeral}", page),
            "",
        ]
        for paragraph in section.paragraphs:
            extra = self.note_md(paragraph.note, page) if paragraph.note else ""
            extra = "\n\n".join(part for part in (self._apply_it(paragraph.id, page), extra) if part)
            lines.append(self.block(paragraph.id, paragraph.label, self.text_md(paragraph.text, page), page, extra))
        if section.note:
            lines += [self.note_md(section.note, page), ""]
        return "\n".join(lines)

    def authority_page(self) -> str:
        page = "reference/authority.md"
        data = self.b.authority
        lines = self._head("Authority", data.get("id", "authority"),
                           description="Every statute and regulation the bulletin cites, with its official text and the paragraphs citing it.")
        if data.get("text"):
            lines += [self.text_md(data["text"], page), ""]
        for citation in _entries(data, ("citations",)):
            lines += self._citation(citation, page)
        others = sorted((s for s in self.statutes.values() if not s.listed), key=_statute_order)
        if others:
            lines += [
                "## Also cited in the text { #also-cited }",
                "",
                "The guidelines cite these as well, though the bulletin’s Authority list does not name them.",
                "",
            ]
            for entry in others:
                lines += [f"### {escape(entry.label)} {{ #{entry.id} }}", "", self._statute_facts(entry, page), ""]
        return "\n".join(lines)

    def _citation(self, citation: dict[str, Any], page: str) -> list[str]:
        """One line of the Authority list as printed; each statute it names keeps its own anchor."""
        entries = [self.statutes[statute_id(s.code, s.section, s.title)] for s in _statutes(citation)]
        anchor = citation.get("id") or entries[0].id
        lines = [f"## {escape(' '.join(str(citation.get('text', '')).split()))} {{ #{anchor} }}", ""]
        if len(entries) == 1:
            lines += [self._statute_facts(entries[0], page), ""]
        else:
            lines.append('<ul class="policy-statutes" markdown>')
            for entry in entries:
                ident = "" if entry.id == anchor else f' id="{entry.id}"'
                lines.append(f"<li{ident} markdown>{self._statute_facts(entry, page)}</li>")
            lines += ["</ul>", ""]
        extra = citation.get("title_not_in_bulletin")
        if isinstance(extra, dict) and extra.get("title"):
            lines += [self.note_md(f"Title of the regulation, not printed in the bulletin: {extra['title']}.", page), ""]
        if citation.get("note"):
            lines += [self.note_md(citation["note"], page), ""]
        return lines

    def _statute_facts(self, entry: StatuteEntry, page: str) -> str:
        url = official_url(entry.code, entry.section, entry.title)
        parts = [f"Official text: {external_link(escape(entry.label), url)}."] if url else []
        if entry.cited_in:
            parts.append("Cited in: " + ", ".join(self._cited(ident, page) for ident in entry.cited_in) + ".")
        else:
            parts.append("No paragraph of the bulletin cites it in its text.")
        return " ".join(parts)

    def _cited(self, ident: str, page: str) -> str:
        target = self.targets[ident]
        link = self.link_to(page, ident)
        return f"{link} ({escape(target.context)})" if target.context else link

    def resources_page(self) -> str:
        page = "reference/related-resources.md"
        data = self.b.related_resources
        lines = self._head("Related Resources", data.get("id", "related-resources"),
                           description="The bulletins and references BUL-4926.4 points to, with their links.")
        if data.get("text"):
            lines += [self.text_md(data["text"], page), ""]
        lines += [f"The District’s eLibrary: {external_link(escape(self.elibrary), self.elibrary)}", ""]
        lines += ['<ul class="policy-resources" markdown>']
        for resource in self.resources.values():
            title = escape(resource.title)
            name = external_link(title, resource.link) if resource.link else title
            cited = ""
            if resource.cited_in:
                cited = " Cited in: " + ", ".join(self._cited(i, page) for i in resource.cited_in) + "."
            no_link = "" if resource.link else " (no link printed; search the eLibrary)"
            note = f" *Note (ours):* {self.text_md(' '.join(resource.note.split()), page)}" if resource.note else ""
            lines.append(
                f'<li id="{resource.key}" markdown>**{escape(resource.number)}**, {name}, '
                f"{escape(resource.date)}{no_link}.{cited}{note}</li>"
            )
        lines += ["</ul>", ""]
        return "\n".join(lines)

    def assistance_page(self) -> str:
        page = "reference/assistance.md"
        data = self.b.assistance
        lines = self._head("Assistance", data.get("id", "assistance"),
                           description="Who to contact for help with enrollment, attendance and withdrawal.")
        attachments = data.get("attachments") or {}
        if attachments:
            lines += [f"## Attachments {{ #{attachments.get('id', 'attachments')} }}", "",
                      self.text_md(str(attachments.get("text", "None")), page), ""]
        lines += ["## Contacts { #contacts }", ""]
        if data.get("text"):
            lines += [self.text_md(data["text"], page), ""]
        lines += self._contact_list(_entries(data, ("contacts", "items")), page, "")
        lines.append("")
        return "\n".join(lines)

    def _contact_list(self, contacts: list[dict[str, Any]], page: str, indent: str) -> list[str]:
        lines: list[str] = []
        for contact in contacts:
            line = self.text_md(str(contact.get("text") or contact.get("name") or ""), page)
            # A phone number is a link, so a family on a phone can call it with one tap.
            line = re.sub(
                r"\((\d{3})\) (\d{3})-(\d{4})", lambda m: f"[{m.group(0)}](tel:+1{m.group(1)}{m.group(2)}{m.group(3)})", line
            )
            lines.append(f"{indent}- {line}")
            lines += self._contact_list(_entries(contact, ("items", "contacts", "ways")), page, indent + "    ")
        return lines

    def glossary_terms(self) -> list[dict[str, Any]]:
        return _entries(self.b.glossary, ("terms", "entries", "items"))

    def glossary_page(self) -> str:
        page = "reference/glossary.md"
        lines = self._head("Glossary", "glossary",
                           description="Acronyms and terms used in BUL-4926.4, in plain words.")
        lines += ["Acronyms and terms of the bulletin, in plain words. On other pages, hover over or tab to a "
                  "dotted-underlined term to see its meaning.", ""]
        for term in sorted(self.glossary_terms(), key=lambda t: str(t.get("term", "")).lower()):
            name = str(term.get("term", ""))
            anchor = term.get("id") or _slug(name)
            expansion = term.get("expansion") or term.get("stands_for")
            head = escape(name) + (f" ({escape(str(expansion))})" if expansion else "")
            definition = self.text_md(" ".join(str(term.get("definition", "")).split()), page)
            used = [self.link_to(page, ident) for ident in term.get("used_in", [])
                    if ident in self.targets or self.resource_for(ident)]
            if used:
                definition += f" Used in: {', '.join(used)}."
            lines += [f"{head} {{ #{anchor} }}", f":   {definition}", ""]
        return "\n".join(lines)

    def roles_page(self) -> str:
        page = "reference/roles.md"
        lines = self._head("Responsibilities by role", "roles",
                           description="What the principal, teachers, school staff and families must do under BUL-4926.4, each linked to its paragraph.")
        lines += ["What each role must or should do, quoted from the bulletin and linked to the paragraph that says it.", ""]
        by_role: dict[str, list[tuple[str, str]]] = {}
        for owner, duties in self._duties():
            for duty in duties:
                by_role.setdefault(duty["role"], []).append((owner, duty["quote"]))
        roles = [r for r in ROLE_NAMES if r in by_role] + sorted(r for r in by_role if r not in ROLE_NAMES)
        for role in roles:
            name = ROLE_NAMES.get(role, role.replace("_", " ").capitalize())
            lines += [f"## {escape(name)} {{ #{role.replace('_', '-')} }}", ""]
            for owner, quote in by_role[role]:
                lines.append(f"- “{escape(' '.join(quote.split()))}” — {self._cited(owner, page)}")
            lines.append("")
        return "\n".join(lines)

    def _duties(self) -> Iterable[tuple[str, list[dict[str, Any]]]]:
        for part in self._front_parts():
            if part.get("duties"):
                yield part["id"], part["duties"]
        for paragraph in self.b.paragraphs():
            yield paragraph.id, [{"role": d.role, "quote": d.quote} for d in paragraph.duties]

    def _front_parts(self) -> Iterable[dict[str, Any]]:
        front = self.b.front
        for key in ("purpose", "background", "major_changes"):
            if isinstance(front.get(key), dict):
                yield front[key]
        for item in (front.get("major_changes") or {}).get("items", []):
            yield item
            yield from item.get("items", [])
        if isinstance(front.get("guidelines"), dict):
            yield front["guidelines"]

    def time_limits_page(self) -> str:
        page = "reference/time-limits.md"
        lines = self._head("Time limits and numbers", "time-limits",
                           description="Every deadline, cap and number BUL-4926.4 sets, in one table linked to its paragraph.")
        lines += [
            "Every deadline, cap and number the bulletin sets, in bulletin order. The wording column quotes "
            "the bulletin; the first column is our summary.",
            "",
            "| What it applies to | Number | Bulletin wording | Where |",
            "| --- | --- | --- | --- |",
        ]
        rows = []
        for owner, numbers in self._numbers():
            for number in numbers:
                rows.append(
                    f"| {_cell(number['summary'])} | {_cell(_amount(number['value'], number['unit']))} | "
                    f"“{_cell(number['quote'])}” | {self._cited(owner, page)} |"
                )
        lines += rows + [""]
        return "\n".join(lines)

    def _numbers(self) -> Iterable[tuple[str, list[dict[str, Any]]]]:
        for part in self._front_parts():
            if part.get("numbers"):
                yield part["id"], part["numbers"]
        for paragraph in self.b.paragraphs():
            if paragraph.numbers:
                yield paragraph.id, [vars(n) for n in paragraph.numbers]

    def abbreviations(self) -> str:
        """Material shows these on hover and focus wherever the term appears (abbr extension)."""
        lines: list[str] = []
        for term in self.glossary_terms():
            name = str(term.get("term", "")).strip()
            # Python-Markdown matches \bTERM\b, which never holds after a final ".": "E.C." -> "E.C".
            key = name.rstrip(".")
            if not key or "]" in key:
                continue
            expansion = term.get("expansion") or term.get("stands_for")
            definition = " ".join(str(term.get("definition", "")).split())
            title = f"{expansion}: {definition}" if expansion else definition
            lines.append(f"*[{key}]: {title}")
        return "\n".join(lines) + "\n"

    # ----- redirects -----------------------------------------------------------------------

    def redirects(self, moved: dict[str, str]) -> dict[str, str]:
        """ref/<id>/index.html for every id, and for every moved id (pointing to its new home)."""
        out = {}
        for ident, target in self.targets.items():
            out[f"ref/{ident}/index.html"] = redirect_html(ident, target)
        for old, new in moved.items():
            if old in self.targets:
                raise GenerateError(
                    f"policy_data/published_ids.yaml: `moved: {old}` names an id that still exists; remove the entry"
                )
            if new not in self.targets:
                raise GenerateError(
                    f"policy_data/published_ids.yaml: `moved: {old}: {new}`: `{new}` is not a current id"
                )
            out[f"ref/{old}/index.html"] = redirect_html(old, self.targets[new])
        return out


def redirect_html(ident: str, target: Target) -> str:
    """A static redirect: meta refresh plus a visible link; no script, so a strict CSP allows it."""
    href = "../../" + page_url(target.page) + (f"#{target.anchor}" if target.anchor else "")
    label = html.escape(target.label + (f", {target.context}" if target.context else ""))
    return (
        "<!doctype html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{label} — BUL-4926.4</title>\n"
        f'<meta http-equiv="refresh" content="0; url={html.escape(href)}">\n'
        '<meta name="robots" content="noindex">\n'
        # The site's icon (Material's default): without it the browser asks for /favicon.ico, a 404.
        '<link rel="icon" href="../../assets/images/favicon.png">\n'
        f'<link rel="canonical" href="{html.escape(href)}">\n'
        "</head>\n<body>\n"
        f'<p>This permanent address leads to <a href="{html.escape(href)}">{label}</a> of BUL-4926.4.</p>\n'
        "</body>\n</html>\n"
    )


# ----- small helpers -------------------------------------------------------------------------


def _entries(data: Any, keys: tuple[str, ...]) -> list[dict[str, Any]]:
    if isinstance(data, dict):
        for key in keys:
            if isinstance(data.get(key), list):
                return [e for e in data[key] if isinstance(e, dict)]
    return []


def _statutes(part: dict[str, Any]) -> list[Statute]:
    return [Statute.from_yaml(s) for s in part.get("statutes", [])]


def _first_url(value: Any) -> str | None:
    if isinstance(value, str) and value.startswith("http"):
        return value
    if isinstance(value, dict):
        for key in ("link", "url", "href"):
            if isinstance(value.get(key), str):
                return str(value[key])
    return None


def _statute_order(entry: StatuteEntry) -> tuple[str, float, str]:
    number = re.match(r"\d+(?:\.\d+)?", entry.section)
    return (entry.code, float(number.group(0)) if number else 0.0, entry.section)


def _date(value: Any) -> str:
    """"August 12, 2024", as the bulletin prints its date."""
    if isinstance(value, str):
        try:
            value = datetime.date.fromisoformat(value)
        except ValueError:
            return str(value)
    if isinstance(value, datetime.date):
        return f"{value:%B} {value.day}, {value.year}"
    return str(value or "")


def _amount(value: Any, unit: str) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    words = unit.replace("_", " ")
    if unit == "percent":
        return f"{value}%"
    if unit == "grade":
        return f"grade {value}"
    if " of " in words and not words.startswith(("years", "year ")):
        # An ordinal position ("week_of_school" 2): "week 2 of school", as "the second week of school".
        head, tail = words.split(" of ", 1)
        return f"{head} {value} of {tail}"
    if value == 1:
        words = re.sub(r"\b(day|week|year|minute|time|goal|school|absence|hour|month)s\b", r"\1", words, count=1)
    return f"{value} {words}"


def _cell(text: Any) -> str:
    return escape(" ".join(str(text).split()))


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "term"


def _yaml_str(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


# ----- files ---------------------------------------------------------------------------------


def load_published(root: Path) -> tuple[list[str], dict[str, str]]:
    path = root / "policy_data" / "published_ids.yaml"
    if not path.is_file():
        return [], {}
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return list(data.get("ids") or []), dict(data.get("moved") or {})


def build_files(bulletin: Bulletin, moved: dict[str, str], applied_in: dict[str, list[str]] | None = None) -> dict[str, str]:
    """Every generated file, by path relative to docs/."""
    writer = SiteWriter(bulletin, applied_in)
    files = writer.pages()
    files.update(writer.redirects(moved))
    return files


def write_files(docs: Path, files: dict[str, str]) -> int:
    changed = sum(write_if_changed(docs / rel, text.encode("utf-8")) for rel, text in files.items())
    # Pages of ids that no longer exist must go, or MkDocs would publish stale policy.
    wanted = {(docs / rel).resolve() for rel in files}
    for folder in GENERATED_DIRS:
        base = docs / folder
        if not base.is_dir():
            continue
        for path in sorted(base.rglob("*"), reverse=True):
            if path.is_file() and path.resolve() not in wanted and not path.name.startswith("."):
                path.unlink(missing_ok=True)
            elif path.is_dir() and not any(path.iterdir()):
                path.rmdir()
    return changed


def check_nav(root: Path, bulletin: Bulletin) -> None:
    """Each section page sits in mkdocs.yml's nav under its topic (Enrollment, Attendance, Withdrawal)."""
    config = root / "mkdocs.yml"
    if not config.is_file():
        return
    nav = yaml.load(config.read_text(encoding="utf-8"), Loader=_LenientLoader).get("nav") or []
    where: dict[str, str] = {}

    def walk(items: Any, group: str) -> None:
        for item in items if isinstance(items, list) else []:
            if isinstance(item, str):
                where[item] = group
            elif isinstance(item, dict):
                for title, value in item.items():
                    if isinstance(value, list):
                        walk(value, str(title))
                    elif isinstance(value, str):
                        where[value] = group

    walk(nav, "")
    for section in bulletin.sections:
        page = f"policy/{section.id}.md"
        topic = TOPICS.get(section.topic, section.topic.title())
        if where.get(page) != topic:
            found = f"under “{where[page]}”" if page in where else "missing"
            raise GenerateError(
                f"mkdocs.yml nav: {page} (section {section.numeral}, topic {section.topic}) is {found}; "
                f"list it under “{topic}”"
            )


class _LenientLoader(yaml.SafeLoader):
    """Reads mkdocs.yml, whose `!!python/name:` and `!ENV` tags only MkDocs resolves."""


_LenientLoader.add_multi_constructor("", lambda loader, suffix, node: None)


def rule_sources(root: Path) -> dict[str, list[str]]:
    """Paragraph id -> calculators whose rules cite it (`source: {kind: paragraph, id: ...}`)."""
    out: dict[str, list[str]] = {}

    def walk(node: Any, calculator: str) -> None:
        if isinstance(node, dict):
            if node.get("kind") == "paragraph" and isinstance(node.get("id"), str):
                found = out.setdefault(node["id"], [])
                if calculator not in found:
                    found.append(calculator)
            for value in node.values():
                walk(value, calculator)
        elif isinstance(node, list):
            for value in node:
                walk(value, calculator)

    for stem in CALCULATORS:
        path = root / "policy_data" / "rules" / f"{stem}.yaml"
        if path.is_file():
            walk(yaml.safe_load(path.read_text(encoding="utf-8")), stem)
    return out


def run(root: Path) -> None:
    bulletin = load_bulletin(root)
    check_nav(root, bulletin)
    published, moved = load_published(root)
    files = build_files(bulletin, moved, rule_sources(root))
    # A trainer's link to a published id must keep working: a vanished id fails the build.
    lost = [ident for ident in published if f"ref/{ident}/index.html" not in files]
    if lost:
        raise GenerateError(
            f"policy_data/published_ids.yaml: published ids no longer in policy_data: {', '.join(lost)}; "
            "add each under `moved:` with the id that replaces it (`old-id: new-id`)"
        )
    changed = write_files(root / "docs", files)
    print(f"generate: {len(files)} files, {changed} changed", file=sys.stderr)


def current_ids(root: Path) -> list[str]:
    return list(SiteWriter(load_bulletin(root)).targets)


PUBLISHED_HEADER = """\
# Every id ever published under /ref/<id>/ (a trainer may have linked it): append only.
# Add new ids with `python -m policy_tools.generate --record`. Never delete one: when an id leaves
# policy_data, add `old-id: new-id` under `moved`, and /ref/old-id/ leads to the new place.
# tests/site checks that every id here still resolves. Schema: schemas/published_ids.schema.json.
"""


def record_ids(root: Path) -> list[str]:
    """Append the ids not yet recorded to policy_data/published_ids.yaml; return them."""
    ids, moved = load_published(root)
    new = [ident for ident in current_ids(root) if ident not in ids and ident not in moved]
    lines = [PUBLISHED_HEADER.rstrip("\n"), "ids:"] + [f"  - {ident}" for ident in ids + new]
    lines += ["moved:" + ("" if moved else " {}")] + [f"  {old}: {target}" for old, target in moved.items()]
    write_if_changed(root / "policy_data" / "published_ids.yaml", ("\n".join(lines) + "\n").encode("utf-8"))
    return new


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    try:
        if args == ["--record"]:
            new = record_ids(ROOT)
            print(f"generate: recorded {len(new)} new id(s) in policy_data/published_ids.yaml", file=sys.stderr)
            return 0
        if args:
            print("usage: python -m policy_tools.generate [--record]", file=sys.stderr)
            return 2
        run(ROOT)
    except GenerateError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
