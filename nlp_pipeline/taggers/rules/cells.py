"""Table-cell rules (GUIDELINES §1.3): a bare number takes its labels from the
cell's column header, row label, row group and the table's title.
"""

from __future__ import annotations

from ...document import Cell, Quantity, Sentence
from ...terms import TermMatch, terms_in
from .common import YEAR, Labels, percent_change_measure
from .state import RuleState


class CellRules(RuleState):
    def _label_cell(
        self, q: Quantity, cell: Cell, sent: Sentence | None, terms: list[TermMatch]
    ) -> Labels:
        table = self.table_of[id(cell)]
        fund = self._cell_fund(cell, table.title, sent)
        measure, negate = self._cell_measure(q, cell)
        metric = self._cell_metric(q, [cell.row_label, cell.left_label, cell.group_label,
                                       cell.col_label, table.title], measure)
        if self.lex.metrics[metric].kind == "department" and fund == "all":
            fund = self.lex.defaults["fund_department"]
        basis = self._cell_basis(cell, measure, sent)
        qualifier = q.qualifier or self._qualifier(q, cell.start)
        return Labels(fund, metric, measure, basis, qualifier, negate)

    def _cell_fund(self, cell: Cell, title: str, sent: Sentence | None) -> str:
        if any(c in cell.col_label for c in self.cues.total_column):
            return self.default_fund if self.doc.genre == "department" \
                else self.lex.defaults["fund_aggregate"]
        for label in (cell.col_label, cell.row_label, cell.group_label, cell.left_label, title):
            terms = terms_in(label)
            found = [t for t in terms if t.kind == "fund"]
            if found:
                return self._reduce(found, None, label) or self.default_fund
            hints = [t.fund_hint for t in terms if t.fund_hint]
            if hints:  # 保障工伤保险待遇享受人数: the fund is named inside a metric term
                return hints[0]
        heading = self._heading_fund(sent.section if sent else None)
        return heading or self.default_fund

    def _cell_metric(self, q: Quantity, labels: list[str], measure: str) -> str:
        metrics = self.lex.metrics
        fallback = None
        for label in labels:
            found = [t for t in terms_in(label) if t.kind == "metric"]
            for t in reversed(found):
                spec = metrics[t.id]
                if q.type == "PERCENT" and measure == "level":
                    if spec.kind == "rate":
                        return t.id
                    continue
                if q.type in spec.types and spec.kind == "other":
                    fallback = fallback or t.id
                elif q.type in spec.types and spec.kind != "rate":
                    return t.id
        if fallback:
            return fallback
        if q.type == "PERSON_TIMES":
            return "benefit_person_times"
        return self.lex.defaults["metric"]

    def _cell_measure(self, q: Quantity, cell: Cell) -> tuple[str, bool]:
        label = cell.row_label + " " + cell.col_label
        found = self.cues.measure.find(label)
        kinds = {c.kind for c in found}
        if q.type == "PERCENT" and "ratio_to_plan" in kinds:
            return "ratio_to_plan", False
        if q.type == "PERCENT" and "share" in kinds:
            return "share", False
        if "plan_difference" in kinds:
            return "plan_difference", False
        change = [c for c in found if c.kind in ("increase", "decrease", "growth_only")]
        if change:
            negate = change[-1].text in self.cues.decrease_words
            if q.type == "PERCENT":
                return percent_change_measure(q.unit), negate
            return "change", negate
        return "level", False

    def _column_basis(self, cell: Cell) -> str | None:
        """预期目标 / 实际完成情况 columns decide the basis of the prose inside them."""
        kinds = [c.kind for c in self.cues.basis.find(cell.col_label)]
        if "actual" in kinds or "ratio" in kinds:
            return "actual"
        if "planned" in kinds:
            return "planned"
        return None

    def _cell_basis(self, cell: Cell, measure: str, sent: Sentence | None) -> str:
        labels = [cell.col_label, cell.group_label]
        if measure != "ratio_to_plan":  # 预算完成率 in a row label names the measure, not the basis
            labels = [cell.col_label, *cell.left_labels, cell.group_label, cell.row_label]
        for label in labels:
            if not label:
                continue
            kinds = [c.kind for c in self.cues.basis.find(label) if c.kind != "neutral"]
            if "prior" in kinds:
                return "prior"  # 上年决算数
            if "planned" in kinds and "actual" not in kinds:
                return "planned"  # 2021年预算数
            if "actual" in kinds or "ratio" in kinds:
                return "actual"
            year = YEAR.match(label.strip())
            if year and self.doc.report_year:
                y = int(year.group(1))
                return "prior" if y < self.doc.report_year else "actual"
        return self._section_basis(sent)
