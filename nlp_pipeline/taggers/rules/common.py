"""Labels the rules produce for one quantity, and the patterns several rules share."""

from __future__ import annotations

from dataclasses import dataclass

import regex

#: A year a figure may be dated to: 2018年, 2014末.
YEAR = regex.compile(r"(?<!\d)((?:19|20)\d\d)\s*(?:年|末)")
CLAUSE_BREAK = regex.compile(r"[，,：:；;。（）()、]")
PHRASE_BREAK = regex.compile(r"[，,：:；;。、]")
#: Single-character verbs (多, 增, 减 …) count only right before the number.
SHORT_CUE_REACH = 2
QUALIFIER_REACH = 4
#: Between two figures of one list or range: 45人次、51人次; ≥95%或≤105%; 3%至5%.
LIST_SEPARATORS = ("、", "和", "及", "与", "或", "至", "～", "~", "-")


@dataclass
class Labels:
    """The labels of one mention; ``negate`` signs a decrease by meaning (§1.2)."""

    fund: str
    metric: str
    measure: str
    basis: str
    qualifier: str
    negate: bool = False


def percent_change_measure(unit: str) -> str:
    """A change in percentage points (提高2个百分点) is `change`; in % it is `growth` (§2.3)."""
    return "change" if "百分点" in unit else "growth"
