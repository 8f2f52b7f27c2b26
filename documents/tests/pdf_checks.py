"""What makes a merged PDF still a tagged PDF/UA file, checked with pikepdf (no validator runs here)."""

import io
from typing import Any

import pikepdf
from pikepdf import Array, Dictionary


def check_tagged(data: bytes) -> pikepdf.Pdf:
    """Checks the catalogue and that the structure tree and the pages agree; returns the opened PDF.

    - the catalogue: marked, a language, the document title shown, PDF/UA identification in XMP;
    - one /Document root element whose descendants all point back at their parent (/P);
    - every /Pg of a structure element is a page of this file;
    - each page's /StructParents key is unique and indexes a /ParentTree entry whose elements are
      on that page, and each marked-content id (MCID) on a page is claimed exactly once.
    """
    pdf = pikepdf.open(io.BytesIO(data))
    root = pdf.Root
    assert root.MarkInfo.Marked is True
    assert str(root.Lang) == "en-GB"
    assert root.ViewerPreferences.DisplayDocTitle is True
    with pdf.open_metadata() as xmp:
        assert xmp.get("pdfuaid:part") == "1"
    tree = root.StructTreeRoot
    kids = tree.K if isinstance(tree.K, Array) else Array([tree.K])
    assert len(kids) == 1 and kids[0].S == "/Document"
    pages = {page.obj.objgen: number for number, page in enumerate(pdf.pages)}
    claimed: dict[tuple[int, int], int] = {}  # (page, mcid) -> times claimed
    reached: set[tuple[int, int]] = set()

    def walk(element: Any, page: Any) -> None:
        reached.add(element.objgen)
        if "/Pg" in element:
            assert element.Pg.objgen in pages, "a structure element points at a page not in this file"
            page = element.Pg
        items = element.get("/K")
        for item in items if isinstance(items, Array) else ([] if items is None else [items]):
            if isinstance(item, int):
                key = (pages[page.objgen], item)
                claimed[key] = claimed.get(key, 0) + 1
            elif isinstance(item, Dictionary) and item.get("/Type") == "/MCR":
                key = (pages[item.Pg.objgen], int(item.MCID))
                claimed[key] = claimed.get(key, 0) + 1
            elif isinstance(item, Dictionary) and "/S" in item:
                assert item.P.objgen == element.objgen, f"{item.S} does not point back at its parent"
                walk(item, page)

    walk(kids[0], None)
    assert claimed and all(times == 1 for times in claimed.values()), "an MCID is claimed more than once"

    nums = tree.ParentTree.Nums
    parent_tree = {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}
    keys = [int(page.obj.StructParents) for page in pdf.pages]
    assert len(set(keys)) == len(keys), "two pages share a /StructParents key"
    for number, page in enumerate(pdf.pages):
        entry = parent_tree[int(page.obj.StructParents)]
        for mcid, element in enumerate(entry):
            assert pages[element.Pg.objgen] == number, "a /ParentTree entry points at another page"
            if element.objgen in reached:
                assert claimed.get((number, mcid)) == 1, "the /ParentTree and the structure tree disagree"
            else:
                # WeasyPrint 70 tags the page-number footer as a /NonStruct whose /P is the Document
                # but which is not among the Document's kids: in single-part files too, so allowed.
                assert element.P.S == "/NonStruct" and element.P.P.objgen == kids[0].objgen
        assert sum(1 for p, _ in claimed if p == number) == len([e for e in entry if e.objgen in reached])
    if "/ParentTreeNextKey" in tree:
        assert int(tree.ParentTreeNextKey) > max(parent_tree)
    for page in pdf.pages:
        for annot in page.obj.get("/Annots", []):
            if "/StructParent" in annot:
                owner = parent_tree[int(annot.StructParent)]
                refs = owner.K if isinstance(owner.K, Array) else [owner.K]
                assert any(
                    isinstance(r, Dictionary) and r.get("/Type") == "/OBJR" and r.Obj.objgen == annot.objgen
                    for r in refs
                ), "an annotation's /StructParent does not lead back to it"
    _check_ids(tree, kids[0])
    _check_outline(pdf)
    _check_font_names(pdf)
    return pdf


def _elements(element: Any) -> list[Any]:
    found, stack = [], [element]
    while stack:
        item = stack.pop()
        found.append(item)
        items = item.get("/K")
        for child in items if isinstance(items, Array) else ([] if items is None else [items]):
            if isinstance(child, Dictionary) and "/S" in child:
                stack.append(child)
    return found


def _check_ids(tree: Any, document: Any) -> None:
    """Identifiers unique, all in the /IDTree when there is one, and every /Headers resolvable."""
    ids = [bytes(e.ID) for e in _elements(document) if "/ID" in e]
    assert len(ids) == len(set(ids)), "two structure elements share an /ID"
    if "/IDTree" in tree:
        names = tree.IDTree.Names
        assert sorted(bytes(names[i]) for i in range(0, len(names), 2)) == sorted(ids)
    for element in _elements(document):
        attributes = element.get("/A")
        for owner in attributes if isinstance(attributes, Array) else [attributes]:
            if isinstance(owner, Dictionary) and "/Headers" in owner:
                assert all(bytes(h) in set(ids) for h in owner.Headers), "a cell's /Headers names no element"


def _check_outline(pdf: pikepdf.Pdf) -> None:
    """The outline's links agree both ways and its /Count is the number of (open) items."""
    root = pdf.Root.get("/Outlines")
    if root is None or "/First" not in root:
        return

    def check(parent: Any) -> int:
        count, item, previous = 0, parent.First, None
        while True:
            assert item.Parent.objgen == parent.objgen, "a bookmark's /Parent is wrong"
            if previous is None:
                assert "/Prev" not in item
            else:
                assert item.Prev.objgen == previous.objgen, "a bookmark's /Prev is wrong"
            count += 1 + (check(item) if "/First" in item else 0)
            if "/Next" not in item:
                break
            previous, item = item, item.Next
        assert parent.Last.objgen == item.objgen, "an outline's /Last is wrong"
        return count

    assert int(root.Count) == check(root)


def _check_font_names(pdf: pikepdf.Pdf) -> None:
    """Different embedded subsets have different names (the subset tag)."""
    programs: dict[str, set[bytes]] = {}
    for page in pdf.pages:
        for font in page.obj.Resources.get("/Font", Dictionary()).values():
            for f in [font, *font.get("/DescendantFonts", Array())]:
                if "/FontDescriptor" in f and "/FontFile2" in f.FontDescriptor:
                    programs.setdefault(str(f.BaseFont), set()).add(f.FontDescriptor.FontFile2.read_raw_bytes())
    assert all(len(p) == 1 for p in programs.values()), "one font name for two different subsets"


def outline(pdf: pikepdf.Pdf) -> list[tuple[int, str, int]]:
    """(depth, title, page number from 1) for each bookmark, in order."""
    pages = {page.obj.objgen: number + 1 for number, page in enumerate(pdf.pages)}
    found: list[tuple[int, str, int]] = []

    def walk(items: Any, depth: int) -> None:
        for item in items:
            found.append((depth, item.title, pages[item.destination[0].objgen]))
            walk(item.children, depth + 1)

    with pdf.open_outline() as tree:
        walk(tree.root, 0)
    return found
