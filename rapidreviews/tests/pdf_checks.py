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
    return pdf


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
