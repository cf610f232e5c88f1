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
        fund = self._cell_fund(q, cell, table.title, sent)
        measure, negate = self._cell_measure(q, cell)
        metric = self._project_funds_metric(cell, table.title) or self._cell_metric(
            q, [self._cell_text_before(cell, q), cell.row_label, cell.left_label,
                cell.group_label, cell.col_label, table.title], measure)
        if self.lex.metrics[metric].kind in ("department", "staff") and fund == "all":
            fund = self.lex.defaults["fund_department"]
        basis = self._cell_basis(cell, measure, sent)
        qualifier = q.qualifier or self._qualifier(q, cell.start)
        return Labels(fund, metric, measure, basis, qualifier, negate)

    def _cell_text_before(self, cell: Cell, q: Quantity) -> str:
        """The words a cell writes before its number (养老保险参保 1128 万人)."""
        return self.doc.ntext[cell.start:q.start] if cell.start <= q.start else ""

    def _cell_fund(self, q: Quantity, cell: Cell, title: str, sent: Sentence | None) -> str:
        if any(c in cell.col_label for c in self.cues.total_column):
            return self.default_fund if self.doc.genre == "department" \
                else self.lex.defaults["fund_aggregate"]
        # a department's project table is titled by the project's name, which may name a
        # fund (…养老保险扩面征缴奖励金项目); the money and indicators are still the
        # department's own (§2.1 none), unless a row or the cell names a fund
        labels = [self._cell_text_before(cell, q), cell.col_label, cell.row_label,
                  cell.group_label, cell.left_label]
        if self.doc.genre != "department" or self._subsidy_programme(title):
            labels.append(title)
        for label in labels:
            short = self.lex.table_fund(label)
            if short:  # a header that is a short fund name: 工伤, 失业
                return short
            terms = terms_in(label)
            found = [t for t in terms if t.kind == "fund"]
            if found:
                return self._reduce(found, None, label) or self.default_fund
            hints = [t.fund_hint for t in terms if t.fund_hint]
            if hints:  # 保障工伤保险待遇享受人数: the fund is named inside a metric term
                return hints[0]
        heading = self._heading_fund(sent.section if sent else None)
        return heading or self.default_fund

    def _project_funds_metric(self, cell: Cell, title: str) -> str | None:
        """年度资金总额 ⇥ 100 in a 项目资金 block: the project's own money (§2.2
        project_expenditure); a fund report's project is the fund's spending, so it takes
        the fund line its name gives (001: 社会保险基金支出)."""
        lines = self.lex.cues["lines"]
        block = " ".join((cell.row_label, cell.group_label, *cell.left_labels))
        if not any(word in block for word in lines["project_funds"]):
            return None
        # a fund report's project is the fund's spending; a subsidy programme to a fund
        # is the fund's subsidy income in any report (§7 subsidy-programme evaluations)
        if self.doc.genre != "department" or self._subsidy_programme(title):
            named = [t.id for t in terms_in(title) if t.kind == "metric"
                     and self.lex.metrics[t.id].kind == "fund"]
            if named:
                return named[-1]
        for word, metric in lines["project_rows"].items():
            if word in cell.row_label:
                return metric
        return lines["project_default"]

    def _subsidy_programme(self, title: str) -> bool:
        """城乡居民基本养老保险补助资金: a project that is a subsidy to a named fund; its
        money and indicators are the scheme's (§7), even in a department's accounts."""
        terms = terms_in(title)
        programme = self.lex.cues["lines"]["subsidy_programme"]
        return any(t.kind == "fund" and t.id != self.lex.defaults["fund_department"]
                   for t in terms) and any(t.kind == "metric" and t.id in programme
                                           for t in terms)

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
        """预期目标 / 实际完成情况 columns decide the basis of the prose inside them, read
        like any other header (上年完成情况 is prior)."""
        return self._header_basis(cell.col_label)

    def _header_basis(self, label: str) -> str | None:
        """The basis a table header states (§2.4), one order for every cell: 上年决算数 is
        prior; 2021年预算数 planned; 实际完成值, 执行率 actual; a bare year column is prior
        before the report year."""
        kinds = [c.kind for c in self.cues.basis.find(label) if c.kind != "neutral"]
        if "prior" in kinds:
            return "prior"
        if "planned" in kinds and "actual" not in kinds:
            return "planned"
        if "actual" in kinds or "ratio" in kinds:
            return "actual"
        year = YEAR.match(label.strip())
        if year and self.doc.report_year:
            return "prior" if int(year.group(1)) < self.doc.report_year else "actual"
        return None

    def _cell_basis(self, cell: Cell, measure: str, sent: Sentence | None) -> str:
        labels = [cell.col_label, cell.group_label]
        if measure != "ratio_to_plan":  # 预算完成率 in a row label names the measure, not the basis
            labels = [cell.col_label, *cell.left_labels, cell.group_label, cell.row_label]
        for label in labels:
            basis = self._header_basis(label) if label else None
            if basis:
                return basis
        return self._section_basis(sent)
