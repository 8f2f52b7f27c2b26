"""Files that can run code when opened are refused: PDFs with JavaScript, attached files or launch
actions (also when hidden in a compressed object stream or spelt with #-escapes), and Word, Excel
and OpenDocument files with macros or ActiveX controls (also inside an embedded file)."""

import io
import zipfile

import pikepdf
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from core.tests import files
from core.uploads import UploadRejected, check_upload

PDF_REFUSED = "The selected PDF contains scripts, attached files or actions that open other programs"
MACROS_REFUSED = "The selected file contains macros or ActiveX controls"


def made_pdf(*, compressed: bool = True, change: object = None) -> bytes:
    pdf = pikepdf.new()
    pdf.add_blank_page()
    if change is not None:
        change(pdf)  # type: ignore[operator]
    buffer = io.BytesIO()
    mode = pikepdf.ObjectStreamMode.generate if compressed else pikepdf.ObjectStreamMode.disable
    pdf.save(buffer, object_stream_mode=mode, compress_streams=compressed)
    return buffer.getvalue()


def javascript(pdf: pikepdf.Pdf) -> None:
    pdf.Root.OpenAction = pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String("app.alert('x')"))


def launch(pdf: pikepdf.Pdf) -> None:
    pdf.Root.OpenAction = pikepdf.Dictionary(S=pikepdf.Name.Launch, F=pikepdf.String("cmd.exe"))


def attachment(pdf: pikepdf.Pdf) -> None:
    spec = pikepdf.AttachedFileSpec(
        pdf, b"invented attachment", filename="notes.txt", description="", mime_type="", creation_date="", mod_date=""
    )
    pdf.attachments["notes.txt"] = spec


def test_an_ordinary_pdf_with_compressed_object_streams_is_accepted() -> None:
    checked = check_upload(SimpleUploadedFile("chronology.pdf", made_pdf()))
    assert checked.content_type == "application/pdf"


def test_a_tagged_pdf_with_a_link_made_by_weasyprint_is_accepted() -> None:
    import weasyprint

    html = "<html lang='en'><title>Invented</title><h1>Chronology</h1><a href='https://example.test'>Guidance</a>"
    data = weasyprint.HTML(string=html).write_pdf(pdf_variant="pdf/ua-1")
    assert check_upload(SimpleUploadedFile("chronology.pdf", data)).content_type == "application/pdf"


@pytest.mark.parametrize("compressed", [False, True], ids=["plain", "in an object stream"])
@pytest.mark.parametrize("change", [javascript, launch, attachment], ids=["javascript", "launch", "attachment"])
def test_a_pdf_that_can_run_code_or_carries_files_is_refused(change: object, compressed: bool) -> None:
    with pytest.raises(UploadRejected, match=PDF_REFUSED):
        check_upload(SimpleUploadedFile("chronology.pdf", made_pdf(compressed=compressed, change=change)))


def test_a_pdf_that_spells_javascript_with_escapes_is_refused() -> None:
    data = files.pdf().replace(
        b"<< /Type /Catalog >>", b"<< /Type /Catalog /OpenAction << /S /J#61vaScript /J#53 (x) >> >>"
    )
    with pytest.raises(UploadRejected, match=PDF_REFUSED):
        check_upload(SimpleUploadedFile("chronology.pdf", data))


def test_a_pdf_cannot_hide_javascript_behind_a_word_that_looks_like_the_start_of_a_stream() -> None:
    decoy = b"<< /Type /Catalog /Title (downstream\n) /OpenAction << /S /JavaScript /JS (x) >> >>\nendstream"
    data = files.pdf().replace(b"<< /Type /Catalog >>", decoy)
    with pytest.raises(UploadRejected, match=PDF_REFUSED):
        check_upload(SimpleUploadedFile("chronology.pdf", data))


def test_a_pdf_cannot_hide_a_compressed_object_stream_inside_a_decoy_stream() -> None:
    hidden = made_pdf(change=javascript)
    at = hidden.index(b"1 0 obj")
    data = hidden[:at] + b"9 0 obj\n(upstream\n)\nendobj\n" + hidden[at:]
    with pytest.raises(UploadRejected, match=PDF_REFUSED):
        check_upload(SimpleUploadedFile("chronology.pdf", data))


def test_a_password_protected_pdf_is_refused_because_it_cannot_be_checked() -> None:
    pdf = pikepdf.new()
    pdf.add_blank_page()
    buffer = io.BytesIO()
    pdf.save(buffer, encryption=pikepdf.Encryption(owner="invented-owner", user="invented-user"))
    with pytest.raises(UploadRejected, match="protected by a password"):
        check_upload(SimpleUploadedFile("chronology.pdf", buffer.getvalue()))


def office_with(extra: dict[str, bytes], *, base: bytes | None = None, content_types: bytes | None = None) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(base or files.docx_file()))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "[Content_Types].xml" and content_types is not None:
                data = content_types
            archive.writestr(info, data)
        for name, data in extra.items():
            archive.writestr(name, data)
    return buffer.getvalue()


MACRO_TYPES = (
    b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    b'<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/>'
    b'<Override PartName="/word/document.xml" '
    b'ContentType="application/vnd.ms-word.document.macroEnabled.main+xml"/></Types>'
)


@pytest.mark.parametrize(
    "data",
    [
        office_with({"word/vbaProject.bin": b"\xd0\xcf\x11\xe0 invented macro storage"}),
        office_with({}, content_types=MACRO_TYPES),
        office_with({"word/activeX/activeX1.xml": b"<ax:ocx/>", "word/activeX/activeX1.bin": b"\xd0\xcf"}),
        office_with({"word/embeddings/inner.docx": office_with({"word/vbaProject.bin": b"\xd0\xcf"})}),
    ],
    ids=["vba project", "macro-enabled content type", "activex", "inside an embedded file"],
)
def test_a_word_file_with_macros_or_activex_is_refused(data: bytes) -> None:
    with pytest.raises(UploadRejected, match=MACROS_REFUSED):
        check_upload(SimpleUploadedFile("chronology.docx", data))


def test_a_word_file_with_macros_named_docm_is_refused_for_its_macros() -> None:
    data = office_with({"word/vbaProject.bin": b"\xd0\xcf"}, content_types=MACRO_TYPES)
    with pytest.raises(UploadRejected, match=MACROS_REFUSED):
        check_upload(SimpleUploadedFile("chronology.docm", data))


def test_a_spreadsheet_with_macros_is_refused() -> None:
    with pytest.raises(UploadRejected, match=MACROS_REFUSED):
        check_upload(
            SimpleUploadedFile("figures.xlsx", office_with({"xl/vbaProject.bin": b"\xd0\xcf"}, base=files.xlsx()))
        )


def test_an_opendocument_file_with_basic_macros_is_refused() -> None:
    data = office_with({"Basic/Standard/Module1.xml": b"<script:module/>"}, base=files.odt())
    with pytest.raises(UploadRejected, match=MACROS_REFUSED):
        check_upload(SimpleUploadedFile("minutes.odt", data))
