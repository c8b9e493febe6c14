"""Reading and writing census XML: a streaming reader with line numbers, and a writer.

Reading uses the standard library's expat parser (pyexpat) directly: its handlers run while
the parser sits on the element, so every element gets the exact line it starts on (lxml is
not installed and xml.etree's iterparse does not expose line numbers). The file is fed in
1 MB chunks; only the Header and one Child at a time are kept as small trees, so memory does
not grow with the file.

The dict form of a child (what the writer takes, what `child_from_node` returns):

    {"id": "C1", "upn": ..., "former_upn": ..., "upn_unknown": "UN1",
     "dob": "2010-01-31", "expected_dob": ..., "sex": "M", "gender": "1", "death_date": ...,
     "ethnicity": "WBRI", "disabilities": ["MOB"],
     "episodes": [{
        "referral_date": "2015-06-01", "source": "1A", "need": "N1",
        "close_date": ..., "close_reason": ..., "icpc_date": ...,   # CINdetails-level ICPC
        "nfa": False,
        "assessments": [{"start": ..., "review": ..., "auth": ..., "factors": ["18A"]}],
        "cin_plans": [{"start": ..., "end": ...}],                  # 2022 schema onwards
        "s47s": [{"start": ..., "target": ..., "icpc_date": ..., "icpc_not_required": False}],
        "cp_plans": [{"start": ..., "end": ..., "initial": "NEG", "latest": "NEG",
                      "previous": 0, "reviews": ["2015-09-01"]}]}]}

Dates are ISO text. Absent keys or None values mean "element not written". `sex` (M/F/U) is
written as GenderCurrent for years before 2025 (M=1, F=2, U=0) unless `gender` is given.
Flags (nfa, icpc_not_required) are booleans, written 0/1; a string is written as it is (so
tests can write the true/false spelling some suppliers use).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from xml.parsers import expat
from xml.sax.saxutils import escape

from .schema import (
    GENDER_TO_SEX,
    SEX_TO_GENDER,
    Node,
    Problem,
    child_spec,
    parse_date,
    parse_yesno,
    reference_date,
    schema_year,
    validate,
)

CHUNK = 1 << 20


class CinCensusError(Exception):
    """A census file problem a person must fix."""


class CinCensusFormatError(CinCensusError):
    """The file is not a census return at all: not XML, wrong root, no header to go on."""


class CinCensusValidationError(CinCensusError):
    """A return that breaks the census structure; `problems` lists every break."""

    def __init__(self, problems: list[Problem] | list[str], what: str = "the return") -> None:
        self.problems = [str(p) for p in problems]
        shown = "\n  ".join(self.problems[:50])
        more = f"\n  ... and {len(self.problems) - 50} more" if len(self.problems) > 50 else ""
        super().__init__(
            f"{what} breaks the CIN census structure ({len(self.problems)} "
            f"problem{'s' if len(self.problems) != 1 else ''}); nothing was written:\n  {shown}{more}"
        )


# --------------------------------------------------------------------------------------------
# Streaming reader
# --------------------------------------------------------------------------------------------


@dataclass
class Event:
    kind: str  # "header", "children", "child", "stray"
    node: Node | None = None  # None for a header or child over a bound (message says which)
    line: int | None = None
    message: str | None = None


def _local(name: str) -> str:
    """The element name without a namespace prefix (the census schema has no namespace)."""
    return name.rsplit(":", 1)[-1] if ":" in name else name


# Bounds on one tree (the Header, one Child, or a stray element), far above any real return (a
# child with a hundred episodes is a few thousand elements and a few tens of KiB of text, six
# levels deep). A tree over a bound is not built further: it is reported with its line and
# skipped, so neither memory nor the recursive checks grow with a hostile file.
MAX_TREE_DEPTH = 16
MAX_TREE_ELEMENTS = 50_000
MAX_TREE_TEXT = 1 << 20  # characters


class _Handler:
    """pyexpat callbacks: builds Header and each Child as a Node tree, queues them as events."""

    def __init__(self, parser, path: Path) -> None:
        self.parser = parser
        self.path = path
        self.events: list[Event] = []
        self.depth = 0
        self.stack: list[Node] = []  # the tree being built (Header or Child), else empty
        self.in_children = False
        self.seen_root = False
        self.broken: str | None = None  # why the tree being built is over a bound
        self.unbuilt = 0  # open elements of a broken tree not built
        self.elements = 0  # elements in the tree being built
        self.text = 0  # characters of text in the tree being built

    def _new_tree(self, node: Node) -> None:
        self.stack.append(node)
        self.broken, self.unbuilt, self.elements, self.text = None, 0, 1, 0

    def _break(self, why: str) -> None:
        """Stop building the tree: keep only its root, count the rest of it unbuilt."""
        self.broken = why
        self.stack[0].children = []
        self.stack[0].text = None

    def start(self, name: str, attrs) -> None:
        tag = _local(name)
        line = self.parser.CurrentLineNumber
        self.depth += 1
        if self.depth == 1:
            self.seen_root = True
            if tag != "Message":
                raise CinCensusFormatError(
                    f"{self.path}: line {line}: the root element is <{tag}>, not <Message>: "
                    "this is not a CIN census return"
                )
            return
        if self.stack:
            if self.broken is None and len(self.stack) >= MAX_TREE_DEPTH:
                self._break(f"is nested more than {MAX_TREE_DEPTH} levels deep (line {line})")
            elif self.broken is None and self.elements >= MAX_TREE_ELEMENTS:
                self._break(f"has more than {MAX_TREE_ELEMENTS:,} elements (line {line})")
            if self.broken is not None:
                self.unbuilt += 1
                return
            node = Node(tag, line=line)
            self.stack[-1].children.append(node)
            self.stack.append(node)
            self.elements += 1
            return
        if self.depth == 2:
            if tag == "Header":
                self._new_tree(Node(tag, line=line))
            elif tag == "Children":
                self.in_children = True
                self.events.append(Event("children", line=line))
            else:
                self.events.append(
                    Event("stray", line=line, message=f"<{tag}> is not an element of <Message>: ignored")
                )
                self._new_tree(Node(tag, line=line))  # built, then dropped
        elif self.depth == 3 and self.in_children:
            if tag == "Child":
                self._new_tree(Node(tag, line=line))
            else:
                self.events.append(
                    Event("stray", line=line, message=f"<{tag}> is not an element of <Children>: ignored")
                )
                self._new_tree(Node(tag, line=line))

    def end(self, name: str) -> None:
        self.depth -= 1
        if self.unbuilt:
            self.unbuilt -= 1
            return
        if self.stack:
            node = self.stack.pop()
            if not self.stack:
                kind = (
                    "header"
                    if node.tag == "Header" and self.depth == 1
                    else "child"
                    if node.tag == "Child" and self.depth == 2
                    else None
                )
                if kind and self.broken:  # reported, not built: no node
                    self.events.append(Event(kind, line=node.line, message=self.broken))
                elif kind:
                    self.events.append(Event(kind, node=node, line=node.line))
                self.broken = None
        elif self.depth == 1:
            self.in_children = False

    def data(self, text: str) -> None:
        if self.stack and self.broken is None:
            self.text += len(text)
            if self.text > MAX_TREE_TEXT:
                self._break(
                    f"holds more than {MAX_TREE_TEXT:,} characters of text (line {self.parser.CurrentLineNumber})"
                )
                return
            node = self.stack[-1]
            node.text = text if node.text is None else node.text + text


def iter_census(path: Path) -> Iterator[Event]:
    """Header, Children start and each Child of a census file, in file order, as they are read.

    Raises CinCensusFormatError for a file that is not well-formed XML (with line and column)
    or whose root is not <Message>."""
    path = Path(path)
    parser = expat.ParserCreate()
    parser.buffer_text = True
    parser.buffer_size = 1 << 16
    handler = _Handler(parser, path)
    parser.StartElementHandler = handler.start
    parser.EndElementHandler = handler.end
    parser.CharacterDataHandler = handler.data
    try:
        with path.open("rb") as f:
            while True:
                chunk = f.read(CHUNK)
                final = not chunk
                try:
                    parser.Parse(chunk, final)
                except expat.ExpatError as exc:
                    raise CinCensusFormatError(
                        f"{path}: not well-formed XML at line {exc.lineno}, column {exc.offset + 1}: "
                        f"{expat.ErrorString(exc.code)}"
                    ) from None
                if handler.events:
                    events, handler.events = handler.events, []
                    yield from events
                if final:
                    break
    except OSError as exc:
        raise CinCensusFormatError(f"{path}: cannot read the file: {exc}") from None
    if not handler.seen_root:  # pragma: no cover - expat reports "no element found" first
        raise CinCensusFormatError(f"{path}: no XML element found")


@dataclass
class HeaderInfo:
    year: int | None = None
    reference_date: str | None = None
    lea: str | None = None
    collection: str | None = None
    line: int | None = None


def read_header(node: Node | None) -> HeaderInfo:
    info = HeaderInfo(line=node.line if node is not None else None)
    if node is None:
        return info
    details = node.find("CollectionDetails")
    if details is not None:
        year = details.value("Year")
        if year and year[:4].isdigit():
            info.year = int(year[:4])
        info.reference_date = details.value("ReferenceDate")
        info.collection = details.value("Collection")
    source = node.find("Source")
    if source is not None:
        info.lea = source.value("LEA")
    return info


# --------------------------------------------------------------------------------------------
# Node <-> dict
# --------------------------------------------------------------------------------------------


def _iso(d: date | None) -> str | None:
    return d.isoformat() if d else None


def _date(node: Node, tag: str) -> str | None:
    return _iso(parse_date(node.value(tag)))


def child_from_node(node: Node, year: int) -> dict:
    """The dict form of a (validated) Child node; values normalised (dates ISO, flags bool).
    Only elements of the year's schema are read (a CINPlanDates in a 2016 return is not)."""
    ids = node.find("ChildIdentifiers") or Node("ChildIdentifiers")
    chars = node.find("ChildCharacteristics") or Node("ChildCharacteristics")
    gender = ids.value("GenderCurrent")
    sex = ids.value("Sex") or (GENDER_TO_SEX.get(gender) if gender else None)
    disabilities = chars.find("Disabilities")
    child = {
        "id": ids.value("LAchildID"),
        "upn": ids.value("UPN"),
        "former_upn": ids.value("FormerUPN"),
        "upn_unknown": ids.value("UPNunknown"),
        "dob": _date(ids, "PersonBirthDate"),
        "expected_dob": _date(ids, "ExpectedPersonBirthDate"),
        "sex": sex,
        "gender": gender,
        "death_date": _date(ids, "PersonDeathDate"),
        "ethnicity": chars.value("Ethnicity"),
        "disabilities": [d.text.strip() for d in disabilities.findall("Disability")]
        if disabilities is not None
        else [],
        "episodes": [],
    }
    for det in node.findall("CINdetails"):
        episode = {
            "referral_date": _date(det, "CINreferralDate"),
            "source": det.value("ReferralSource"),
            "need": det.value("PrimaryNeedCode"),
            "close_date": _date(det, "CINclosureDate"),
            "close_reason": det.value("ReasonForClosure"),
            "icpc_date": _date(det, "DateOfInitialCPC"),
            "nfa": parse_yesno(det.value("ReferralNFA")),
            "assessments": [],
            "cin_plans": [],
            "s47s": [],
            "cp_plans": [],
            "line": det.line,
        }
        for a in det.findall("Assessments"):
            factors = a.find("FactorsIdentifiedAtAssessment")
            episode["assessments"].append(
                {
                    "start": _date(a, "AssessmentActualStartDate"),
                    "review": _date(a, "AssessmentInternalReviewDate"),
                    "auth": _date(a, "AssessmentAuthorisationDate"),
                    "factors": [f.text.strip() for f in factors.findall("AssessmentFactors")]
                    if factors is not None
                    else [],
                    "line": a.line,
                }
            )
        for p in det.findall("CINPlanDates") if schema_year(year) >= 2022 else ():
            episode["cin_plans"].append(
                {"start": _date(p, "CINPlanStartDate"), "end": _date(p, "CINPlanEndDate"), "line": p.line}
            )
        for s in det.findall("Section47"):
            episode["s47s"].append(
                {
                    "start": _date(s, "S47ActualStartDate"),
                    "target": _date(s, "InitialCPCtarget"),
                    "icpc_date": _date(s, "DateOfInitialCPC"),
                    "icpc_not_required": parse_yesno(s.value("ICPCnotRequired")),
                    "line": s.line,
                }
            )
        for p in det.findall("ChildProtectionPlans"):
            reviews = p.find("Reviews")
            episode["cp_plans"].append(
                {
                    "start": _date(p, "CPPstartDate"),
                    "end": _date(p, "CPPendDate"),
                    "initial": p.value("InitialCategoryOfAbuse"),
                    "latest": p.value("LatestCategoryOfAbuse"),
                    "previous": int(p.value("NumberOfPreviousCPP")) if p.value("NumberOfPreviousCPP") else None,
                    # an unreadable review date (kept for DfE 8842Q) is None
                    "reviews": [_iso(parse_date(r.text)) for r in reviews.findall("CPPreviewDate")]
                    if reviews is not None
                    else [],
                    "line": p.line,
                }
            )
        child["episodes"].append(episode)
    return child


def _text(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _leaf(parent: Node, tag: str, value) -> None:
    text = _text(value)
    if text is not None:
        parent.children.append(Node(tag, text))


def child_to_node(child: dict, year: int) -> Node:
    """A Child element for the year's schema, in the schema's element order."""
    sy = schema_year(year)
    ids = Node("ChildIdentifiers")
    _leaf(ids, "LAchildID", child.get("id"))
    _leaf(ids, "UPN", child.get("upn"))
    _leaf(ids, "FormerUPN", child.get("former_upn"))
    _leaf(ids, "UPNunknown", child.get("upn_unknown"))
    _leaf(ids, "PersonBirthDate", child.get("dob"))
    _leaf(ids, "ExpectedPersonBirthDate", child.get("expected_dob"))
    if sy >= 2025:
        sex = child.get("sex") or GENDER_TO_SEX.get(child.get("gender") or "")
        _leaf(ids, "Sex", sex)
    else:
        gender = child.get("gender") or SEX_TO_GENDER.get(child.get("sex") or "")
        _leaf(ids, "GenderCurrent", gender)
    _leaf(ids, "PersonDeathDate", child.get("death_date"))
    chars = Node("ChildCharacteristics")
    _leaf(chars, "Ethnicity", child.get("ethnicity"))
    if child.get("disabilities"):
        dis = Node("Disabilities")
        for code in child["disabilities"]:
            _leaf(dis, "Disability", code)
        chars.children.append(dis)
    node = Node("Child", children=[ids, chars])
    for ep in child.get("episodes") or []:
        det = Node("CINdetails")
        _leaf(det, "CINreferralDate", ep.get("referral_date"))
        _leaf(det, "ReferralSource", ep.get("source"))
        _leaf(det, "PrimaryNeedCode", ep.get("need"))
        _leaf(det, "CINclosureDate", ep.get("close_date"))
        _leaf(det, "ReasonForClosure", ep.get("close_reason"))
        _leaf(det, "DateOfInitialCPC", ep.get("icpc_date"))
        for a in ep.get("assessments") or []:
            an = Node("Assessments")
            _leaf(an, "AssessmentActualStartDate", a.get("start"))
            _leaf(an, "AssessmentInternalReviewDate", a.get("review"))
            _leaf(an, "AssessmentAuthorisationDate", a.get("auth"))
            if a.get("factors"):
                fn = Node("FactorsIdentifiedAtAssessment")
                for code in a["factors"]:
                    _leaf(fn, "AssessmentFactors", code)
                an.children.append(fn)
            det.children.append(an)
        for p in ep.get("cin_plans") or []:
            pn = Node("CINPlanDates")
            _leaf(pn, "CINPlanStartDate", p.get("start"))
            _leaf(pn, "CINPlanEndDate", p.get("end"))
            det.children.append(pn)
        for s in ep.get("s47s") or []:
            sn = Node("Section47")
            _leaf(sn, "S47ActualStartDate", s.get("start"))
            _leaf(sn, "InitialCPCtarget", s.get("target"))
            _leaf(sn, "DateOfInitialCPC", s.get("icpc_date"))
            _leaf(
                sn,
                "ICPCnotRequired",
                bool(s.get("icpc_not_required"))
                if not isinstance(s.get("icpc_not_required"), str)
                else s["icpc_not_required"],
            )
            det.children.append(sn)
        nfa = ep.get("nfa")
        _leaf(det, "ReferralNFA", nfa if isinstance(nfa, str) else bool(nfa))
        for p in ep.get("cp_plans") or []:
            pn = Node("ChildProtectionPlans")
            _leaf(pn, "CPPstartDate", p.get("start"))
            _leaf(pn, "CPPendDate", p.get("end"))
            _leaf(pn, "InitialCategoryOfAbuse", p.get("initial"))
            _leaf(pn, "LatestCategoryOfAbuse", p.get("latest"))
            _leaf(pn, "NumberOfPreviousCPP", p.get("previous"))
            if p.get("reviews"):
                rn = Node("Reviews")
                for r in p["reviews"]:
                    _leaf(rn, "CPPreviewDate", r)
                pn.children.append(rn)
            det.children.append(pn)
        node.children.append(det)
    return node


def header_node(year: int, la_code: str, ref_date: str | None = None) -> Node:
    header = Node("Header")
    details = Node("CollectionDetails")
    _leaf(details, "Collection", "CIN")
    _leaf(details, "Year", str(year))
    _leaf(details, "ReferenceDate", ref_date or reference_date(year).isoformat())
    source = Node("Source")
    _leaf(source, "SourceLevel", "L")
    _leaf(source, "LEA", la_code)
    _leaf(source, "SoftwareCode", "csc-warehouse")
    header.children += [details, source]
    return header


# --------------------------------------------------------------------------------------------
# Writer
# --------------------------------------------------------------------------------------------


def serialize(node: Node, out, level: int = 0, indent: str = "  ") -> None:
    pad = indent * level
    if not node.children:
        text = node.text or ""
        out.write(f"{pad}<{node.tag}>{escape(text)}</{node.tag}>\n")
        return
    out.write(f"{pad}<{node.tag}>\n")
    for kid in node.children:
        serialize(kid, out, level + 1, indent)
    out.write(f"{pad}</{node.tag}>\n")


def write_document(path: Path, header: Node, child_nodes: Iterable[Node]) -> int:
    """Write Message/Header/Children from already-built nodes; atomic (temp file, rename)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    n = 0
    try:
        with tmp.open("w", encoding="utf-8", newline="\n") as f:
            out = f
            out.write('<?xml version="1.0" encoding="utf-8"?>\n<Message>\n')
            serialize(header, out, 1)
            out.write("  <Children>\n")
            for node in child_nodes:
                serialize(node, out, 2)
                n += 1
            out.write("  </Children>\n</Message>\n")
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()
    return n


def write_cin_census_xml(
    path: Path,
    children: Iterable[dict],
    year: int,
    la_code: str = "878",
    reference_date: str | None = None,
    validate_children: bool = True,
) -> int:
    """Test-data writer: census XML for a year from child dicts (see the module docstring).

    Streams (one child in memory at a time), so it can write England-sized files. With
    validate_children (the default) every child is checked against the year's schema first and
    CinCensusValidationError is raised on the first broken one. Returns the number of children."""
    spec = child_spec(year)

    def nodes() -> Iterator[Node]:
        for child in children:
            node = child_to_node(child, year)
            if validate_children:
                problems = validate(node, spec, year, lenient=False, path=f"Child[LAchildID={child.get('id')}]")
                if problems:
                    raise CinCensusValidationError(problems, f"child {child.get('id')!r}")
            yield node

    return write_document(path, header_node(year, la_code, reference_date), nodes())


def read_cin_census_xml(path: Path) -> tuple[HeaderInfo, list[dict]]:
    """The whole file as (header, [child dicts]); for tests and small files (not streaming)."""
    header = HeaderInfo()
    children = []
    for event in iter_census(path):
        if event.kind == "header":
            header = read_header(event.node)
        elif event.kind == "child" and event.node is not None:
            if header.year is None:
                raise CinCensusFormatError(f"{path}: no Header/CollectionDetails/Year before the children")
            children.append(child_from_node(event.node, header.year))
    return header, children
