""""Cite this": the citation a trainer pastes, for any bulletin part with a permanent address.

Style: legal citation order, as The Bluebook cites an agency document: issuer and document number,
title, pinpoint (the bulletin's own numbering, "XII.c"), issue date in parentheses, then the
permanent address. One line of plain text, so it pastes anywhere (LMS, e-mail, slides):

    Los Angeles Unified School District, BUL-4926.4, Enrollment, Attendance, and Withdrawal
    Policies and Procedures, XII.c (August 12, 2024), https://example.org/ref/xii-c/

The address is absolute and follows SITE_URL (policy_tools.site_url), never the page's own URL.
"""
from __future__ import annotations

import html
from dataclasses import dataclass

ISSUER = "Los Angeles Unified School District"


@dataclass(frozen=True)
class Citer:
    number: str          # BUL-4926.4
    title: str           # Enrollment, Attendance, and Withdrawal Policies and Procedures
    date: str            # August 12, 2024 (as the bulletin prints it)
    site_url: str        # https://example.org/ (ends in "/")

    def address(self, ident: str) -> str:
        return f"{self.site_url}ref/{ident}/"

    def citation(self, ident: str, pinpoint: str) -> str:
        parts = [ISSUER, self.number, self.title]
        pin = f"{pinpoint} " if pinpoint else ""
        return f"{', '.join(p for p in parts if p)}, {pin}({self.date}), {self.address(ident)}"

    def button(self, ident: str, pinpoint: str, name: str) -> str:
        """The "Cite this" button beside "Copy link" (docs/assets/js/copy-link.js copies data-cite)."""
        return (
            f'<button type="button" class="policy-cite" data-cite="{html.escape(self.citation(ident, pinpoint))}">'
            f'Cite this<span class="policy-visually-hidden"> ({html.escape(name)})</span></button>'
        )
