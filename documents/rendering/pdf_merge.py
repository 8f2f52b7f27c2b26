"""Joins tagged PDF/UA files made by WeasyPrint into one document with one logical structure.

Used when a long document is laid out in parts on two cores (`rendering/pdf.py`). Appending pages
is not enough for an accessible PDF: a screen reader follows the structure tree, not the pages. So
the later parts' pages are appended, and then:
- their structure elements become children of the first part's `Document` element, in order;
- their pages' `/StructParents` keys (and annotations' `/StructParent` keys) are shifted past the
  first part's, with the `/ParentTree` entries they index, so that every marked-content sequence
  still finds its structure element;
- their bookmarks are appended to the outline, and any role or class map entries are added (the
  first part's entry wins a clash);
- their structure element identifiers (WeasyPrint names a table's header cells after the table's
  object number, so two parts can both have "37-0-0") get a part prefix, with the table cells'
  `/Headers` that refer to them, and the document gets an `/IDTree` of every identifier;
- their embedded font subsets get subset tags of their own (WeasyPrint derives the six letters from
  the font's name only, so two parts' different subsets of one font would share a name);
- a part in another language keeps its language on its top-level elements.
pikepdf's `add_pages_from` carries the pages' named destinations (the targets of internal links),
renaming any that collide. Objects are copied once per source file (qpdf keeps one copy map per
foreign file), so a structure element's `/Pg` points at the copied page. The first part's catalogue (language, title, XMP
metadata with the PDF/UA identification, viewer preferences) is the merged document's.
"""

import hashlib
import io
from collections.abc import Iterator, Sequence
from typing import Any

import pikepdf
from pikepdf import Array, Dictionary, Name, String


def merge_tagged(pdfs: Sequence[bytes]) -> bytes:
    if not pdfs:
        raise ValueError("No PDF to merge")
    if len(pdfs) == 1:
        return pdfs[0]
    out = pikepdf.open(io.BytesIO(pdfs[0]))
    tree = out.Root.StructTreeRoot
    document = _document_element(tree)
    ids = _ids(_kids(document), prefix="")
    parent_tree = _flat_number_tree(tree.ParentTree)
    next_key = max((key for key, _ in parent_tree), default=-1) + 1
    nums = Array([item for key, value in parent_tree for item in (key, value)])
    for part, data in enumerate(pdfs[1:], start=2):
        src = pikepdf.open(io.BytesIO(data))
        src_tree = src.Root.StructTreeRoot
        shift = next_key
        _retag_fonts(src)
        for page in src.pages:
            if "/StructParents" in page.obj:
                page.obj.StructParents = int(page.obj.StructParents) + shift
            for annot in page.obj.get("/Annots", Array()):
                if "/StructParent" in annot:
                    annot.StructParent = int(annot.StructParent) + shift
        shifted: Any = Array()
        for key, value in _flat_number_tree(src_tree.ParentTree):
            shifted.extend([key + shift, value])
            next_key = max(next_key, key + shift + 1)
        out.add_pages_from(src)  # first, so that what refers to a page refers to its copy
        src_document = _document_element(src_tree)
        carrier = Dictionary(Document=src_document, K=_kids(src_document), Nums=shifted)
        for entry in ("/RoleMap", "/ClassMap"):
            if entry in src_tree:
                carrier[entry] = src_tree[entry]
        if "/Outlines" in src.Root:
            carrier.Outlines = src.Root.Outlines
        copied: Any = out.copy_foreign(src.make_indirect(carrier))
        ids.update(_ids(copied.K, prefix=f"p{part}-"))
        lang = src.Root.get("/Lang")
        kids = _kids(document)
        for kid in copied.K:
            if isinstance(kid, Dictionary):
                kid.P = document
                if lang is not None and str(lang) != str(out.Root.get("/Lang", "")) and "/Lang" not in kid:
                    kid.Lang = lang
            kids.append(kid)
        document.K = kids
        nums.extend(copied.Nums)
        _adopt_strays(copied.Nums, copied.Document, document)
        for entry in ("/RoleMap", "/ClassMap"):
            if entry in copied:
                merged = tree.get(entry, Dictionary())
                for name, value in copied[entry].items():
                    if name not in merged:
                        merged[name] = value
                tree[entry] = merged
        if "/Outlines" in copied:
            _append_outline(out, copied.Outlines)
    tree.ParentTree = Dictionary(Nums=nums)
    tree.ParentTreeNextKey = next_key
    if ids:
        tree.IDTree = Dictionary(Names=Array([item for key in sorted(ids) for item in (String(key), ids[key])]))
    buffer = io.BytesIO()
    out.save(
        buffer,
        compress_streams=True,
        object_stream_mode=pikepdf.ObjectStreamMode.generate,
        deterministic_id=True,
        fix_metadata_version=False,
    )
    return buffer.getvalue()


def _document_element(tree: Any) -> Any:
    """The root structure element WeasyPrint writes (`/Document`), the only kid of the tree root."""
    kids = _kids(tree)
    if len(kids) != 1 or not isinstance(kids[0], Dictionary) or kids[0].get("/S") != Name.Document:
        raise ValueError("Expected one /Document structure element at the root of the structure tree")
    return kids[0]


def _adopt_strays(nums: Any, old_document: Any, document: Any) -> None:
    """Points at the merged Document what still points at a part's own copied Document element.

    WeasyPrint 70 tags each page-number footer as a /NonStruct whose /P is the Document but which is
    not among the Document's kids, so it is reached only from the /ParentTree; without this its
    parent would be a copy of the later part's Document that is no longer in the tree."""
    seen: set[tuple[int, int]] = set()
    for value in list(nums)[1::2]:
        for element in value if isinstance(value, Array) else [value]:
            node = element
            while isinstance(node, Dictionary) and node.objgen not in seen and "/P" in node:
                seen.add(node.objgen)
                if node.P.objgen == old_document.objgen:
                    node.P = document
                    break
                node = node.P


def _kids(element: Any) -> Array:
    kids = element.get("/K")
    if kids is None:
        return Array()
    return Array(list(kids)) if isinstance(kids, Array) else Array([kids])


def _flat_number_tree(node: Any) -> list[tuple[int, Any]]:
    pairs: list[tuple[int, Any]] = []
    nums = node.get("/Nums", Array())
    pairs.extend((int(nums[i]), nums[i + 1]) for i in range(0, len(nums), 2))
    for kid in node.get("/Kids", Array()):
        pairs.extend(_flat_number_tree(kid))
    return sorted(pairs, key=lambda pair: pair[0])


def _elements(kids: Any) -> Iterator[Any]:
    """The structure elements under `kids`, depth first (marked content and object references skipped)."""
    stack = list(kids)[::-1]
    while stack:
        item = stack.pop()
        if isinstance(item, Dictionary) and "/S" in item:
            yield item
            children = item.get("/K")
            if isinstance(children, Array):
                stack.extend(reversed(list(children)))
            elif isinstance(children, Dictionary):
                stack.append(children)


def _ids(kids: Any, *, prefix: str) -> dict[str, Any]:
    """The identifiers of the elements under `kids`, each given `prefix` (with the table cells'
    `/Headers` that refer to them); one walk, which is most of the cost of joining parts."""
    ids: dict[str, Any] = {}
    for element in _elements(kids):
        if "/ID" in element:
            key = prefix + bytes(element.ID).decode("latin-1")
            if prefix:
                element.ID = String(key)
            ids.setdefault(key, element)
        if prefix and "/A" in element:
            attributes = element.A
            for owner in attributes if isinstance(attributes, Array) else [attributes]:
                if isinstance(owner, Dictionary) and isinstance(owner.get("/Headers"), Array):
                    owner.Headers = Array([String(prefix + bytes(h).decode("latin-1")) for h in owner.Headers])
    return ids


def _retag_fonts(src: Any) -> None:
    """New subset tags for this part's embedded fonts, from a hash of each font program."""
    seen: set[tuple[int, int]] = set()
    for page in src.pages:
        for font in page.obj.get("/Resources", Dictionary()).get("/Font", Dictionary()).values():
            if font.objgen in seen or "+" not in str(font.get("/BaseFont", "")):
                continue
            seen.add(font.objgen)
            fonts = [font, *font.get("/DescendantFonts", Array())]
            descriptor = next((f.FontDescriptor for f in fonts if "/FontDescriptor" in f), None)
            program = next((descriptor[k] for k in _FONT_FILES if descriptor is not None and k in descriptor), None)
            digest = hashlib.sha256(program.read_raw_bytes() if program is not None else str(font.BaseFont).encode())
            tag = "".join(chr(ord("A") + b % 26) for b in digest.digest()[:6])
            for f in fonts:
                f.BaseFont = Name(f"/{tag}+{str(f.BaseFont).split('+', 1)[1]}")
            if descriptor is not None and "+" in str(descriptor.get("/FontName", "")):
                descriptor.FontName = Name(f"/{tag}+{str(descriptor.FontName).split('+', 1)[1]}")


_FONT_FILES = ("/FontFile2", "/FontFile3", "/FontFile")


def _append_outline(out: Any, outlines: Any) -> None:
    """Appends the copied outline's top-level bookmarks (with their subtrees) after the existing ones."""
    first = outlines.get("/First")
    if first is None:
        return
    root = out.Root.get("/Outlines")
    if root is None or "/First" not in root:
        out.Root.Outlines = outlines
        return
    item = first
    while True:
        item.Parent = root
        if "/Next" not in item:
            break
        item = item.Next
    root.Last.Next = first
    first.Prev = root.Last
    root.Last = item
    root.Count = int(root.get("/Count", 0)) + int(outlines.get("/Count", 0))
