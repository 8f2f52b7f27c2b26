"""Where an enum exists, the code says its member, never the bare string: a status, state, kind or
decision compared with (or filtered on) a string literal is found here, so a renamed or mistyped
value cannot silently match nothing. Application code only: not tests, migrations or benchmarks."""

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
APPS = ("accounts", "audit", "cases", "clocks", "core", "documents", "notifications", "partnerships")
JOURNEYS = ("referrals", "rapidreviews")
# Fields whose values are enum members (TextChoices) wherever they appear in the code.
ENUM_FIELDS = {"status", "state", "to_state", "from_state", "kind", "decision", "role", "verb", "rule", "answer"}
QUERY_METHODS = {"filter", "exclude", "get", "Q", "get_or_create", "update_or_create"}
# Files whose `kind` is not a model field: the form renderer's kind of widget (date, radios).
NOT_ENUMS = {"core/templatetags/govuk.py"}


def _sources() -> list[Path]:
    found = []
    for app in APPS + JOURNEYS:
        for path in (ROOT / app).rglob("*.py"):
            relative = path.relative_to(ROOT)
            if not {"tests", "migrations"} & set(relative.parts) and str(relative) not in NOT_ENUMS:
                found.append(path)
    return found


def _field(name: str) -> str:
    """The field a lookup names: agency_summary__status__in -> status."""
    parts = [p for p in name.split("__") if p not in {"in", "exact", "iexact"}]
    return parts[-1] if parts else name


def _literals(node: ast.AST) -> list[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value:
        return [node.value]
    if isinstance(node, ast.Tuple | ast.List | ast.Set):
        return [v for e in node.elts for v in _literals(e)]
    return []


def _attribute(node: ast.AST) -> str:
    return node.attr if isinstance(node, ast.Attribute) else node.id if isinstance(node, ast.Name) else ""


def literal_enum_uses(source: str, filename: str = "<source>") -> list[str]:
    found = []
    for node in ast.walk(ast.parse(source, filename)):
        if isinstance(node, ast.Compare):
            sides = [node.left, *node.comparators]
            if any(_attribute(s) in ENUM_FIELDS for s in sides):
                for side in sides:
                    found += [f"{filename}:{node.lineno}: {v!r}" for v in _literals(side)]
        elif isinstance(node, ast.Call) and _attribute(node.func) in QUERY_METHODS:
            for keyword in node.keywords:
                if keyword.arg and _field(keyword.arg) in ENUM_FIELDS:
                    found += [f"{filename}:{node.lineno}: {keyword.arg}={v!r}" for v in _literals(keyword.value)]
    return found


def test_the_check_finds_a_status_compared_with_a_string() -> None:
    assert literal_enum_uses('if r.status == "submitted": pass')
    assert literal_enum_uses('x = r.status in ("submitted", "accepted")')
    assert literal_enum_uses('Clock.objects.filter(status__in=["open", "paused"])')
    assert literal_enum_uses('qs.exclude(agency_summary__status="draft")')
    assert not literal_enum_uses("if r.status == SummaryStatus.SUBMITTED: pass")
    assert not literal_enum_uses('qs.exclude(decision="")'), "no decision yet is the empty string"


def test_no_application_code_compares_an_enum_field_with_a_string() -> None:
    found = [hit for path in _sources() for hit in literal_enum_uses(path.read_text(), str(path.relative_to(ROOT)))]
    assert found == [], "Use the enum member instead:\n" + "\n".join(found)


# In templates: `{% if agency_summary.status == "accepted" %}`; the page gets the enum in its context
# instead (`SummaryStatus.ACCEPTED`), or a filter that knows it.
TEMPLATE_LITERAL = re.compile(r"\b\w+\.(status|state|decision|kind|answer|role)\s*(==|!=)\s*[\"'][^\"']+[\"']")


def test_the_check_finds_a_status_compared_with_a_string_in_a_template() -> None:
    assert TEMPLATE_LITERAL.search('{% if agency_summary.status == "accepted" %}')
    assert TEMPLATE_LITERAL.search("{% if c.state != 'referred' %}")
    assert not TEMPLATE_LITERAL.search("{% if agency_summary.status == SummaryStatus.ACCEPTED %}")


def test_no_template_compares_an_enum_field_with_a_string() -> None:
    templates = [p for app in APPS + JOURNEYS for p in (ROOT / app / "templates").rglob("*.html")]
    templates += list((ROOT / "templates").rglob("*.html")) + list((ROOT / "templates").rglob("*.txt"))
    found = [
        f"{path.relative_to(ROOT)}: {match.group(0)}"
        for path in templates
        for match in TEMPLATE_LITERAL.finditer(path.read_text())
    ]
    assert found == [], "Give the page the enum (or a filter) instead:\n" + "\n".join(found)
