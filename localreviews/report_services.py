"""Writing the local review's report: its sections saved (and autosaved) with the draft's version
check, drafts kept as numbered versions (written here or uploaded as Word), any two versions
compared section by section, and the findings and recommendations as items addressed to agencies
or the partnership. Every change is audited; who may write is LocalReviewChecker.may_write_report."""

import html
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from accounts.models import User
from audit.models import Verb
from audit.services import audit_record
from core.uploads import DOCX, check_upload
from documents.models import Document
from documents.services import document_store
from localreviews.models import LocalReview
from localreviews.policies import LocalReviewChecker
from localreviews.report_models import ReportDraft, ReportItem, ReportSection, ReportVersion
from partnerships.models import Agency

REPORT_TOPIC = "local_review_report"  # uploaded Word drafts: read by the review's readers (stage.py)
CLASH = (
    "Someone else saved the report since you opened this page (or you saved it in another tab). "
    "Your text is kept below beside what is saved now: keep what you need, then save."
)


class ReportError(Exception):
    """What stops the step, in words for the page."""


class ReportClash(ReportError):
    """The draft (or item) changed since the page was opened: nothing is saved."""


def _may_write(actor: User, review: LocalReview) -> None:
    if not LocalReviewChecker(actor, review.case).may_write_report:
        raise ReportError("Only the reviewer and the review coordinator write the report")


def draft_of(review: LocalReview) -> ReportDraft | None:
    try:
        return review.report_draft  # type: ignore[no-any-return]
    except ReportDraft.DoesNotExist:
        return None


# Sections


def section_save(
    *, review: LocalReview, actor: User, section: ReportSection, text: str, expected_version: int, autosave: bool
) -> ReportDraft:
    """Saves one section's text on the working draft. `expected_version` is the draft's version the
    page was given (0 before there is a draft); another save since is a clash (ReportClash) and
    nothing is saved. An autosave that changes nothing saves nothing."""
    _may_write(actor, review)
    text = text.replace("\r\n", "\n").strip()
    with transaction.atomic():
        draft = ReportDraft.objects.select_for_update().filter(review=review).first()
        if draft is None:
            if expected_version != 0:
                raise ReportClash(CLASH)
            try:
                with transaction.atomic():
                    draft = ReportDraft.objects.create(review=review, sections={}, version=0, updated_by=actor)
            except IntegrityError:
                raise ReportClash(CLASH) from None
        elif draft.version != expected_version:
            raise ReportClash(CLASH)
        if (draft.sections or {}).get(section.value, "") == text and draft.version > 0:
            return draft
        draft.sections = {**(draft.sections or {}), section.value: text}
        draft.version += 1
        draft.updated_by = actor
        draft.save(update_fields=["sections", "version", "updated_by", "updated_at"])
        audit_record(
            actor=actor,
            verb=Verb.UPDATE,
            target=draft,
            case=review.case,
            details={
                "summary": f"Local review report: {section.label} {'autosaved' if autosave else 'saved'}",
                "section": section.value,
                "autosave": autosave,
            },
        )
    return draft


@dataclass(frozen=True)
class SectionState:
    section: ReportSection
    text: str
    status: str  # "Not started", "Changed since Draft 2", "As kept in Draft 2", "Written"
    words: int


def section_states(draft: ReportDraft | None, latest: ReportVersion | None) -> list[SectionState]:
    """Each section of the working draft with where it stands against the latest kept version."""
    texts = (draft.sections if draft is not None else None) or {}
    kept = (latest.sections if latest is not None else None) or {}
    states = []
    for section in ReportSection:
        text = texts.get(section.value, "")
        if not text:
            status = "Not started" if not kept.get(section.value) else f"Emptied since Draft {latest.number}"  # type: ignore[union-attr]
        elif latest is None:
            status = "Written, not yet kept in a version"
        elif kept.get(section.value, "") == text:
            status = f"As kept in Draft {latest.number}"
        else:
            status = f"Changed since Draft {latest.number}"
        states.append(SectionState(section, text, status, len(text.split())))
    return states


# Versions


def _next_number(review: LocalReview) -> int:
    # The review's row is locked first, so two keeps cannot take the same number.
    LocalReview.objects.select_for_update().filter(pk=review.pk).first()
    return int(ReportVersion.objects.filter(review=review).aggregate(n=Max("number"))["n"] or 0) + 1


def version_keep(*, review: LocalReview, actor: User, note: str, expected_version: int) -> ReportVersion:
    """Keeps the working draft as it stands as the next numbered version, with the writer's note."""
    _may_write(actor, review)
    with transaction.atomic():
        draft = ReportDraft.objects.select_for_update().filter(review=review).first()
        if draft is None or not any((draft.sections or {}).values()):
            raise ReportError("Write at least one section before you keep the draft as a version")
        if draft.version != expected_version:
            raise ReportClash(
                "The draft changed since you opened this page. Check it, then keep it as a version again."
            )
        version = ReportVersion.objects.create(
            review=review,
            number=_next_number(review),
            sections={k: v for k, v in draft.sections.items() if v},
            source=ReportVersion.Source.WRITTEN,
            note=note.strip(),
            created_by=actor,
        )
        audit_record(
            actor=actor,
            verb=Verb.CREATE,
            target=version,
            case=review.case,
            details={"summary": f"Local review report: kept as Draft {version.number}", "number": version.number},
        )
    return version


_HEADINGS = {re.sub(r"[^a-z ]", "", str(s.label).lower()).strip(): s for s in ReportSection} | {
    s.value.replace("_", " "): s for s in ReportSection
}


def _heading_section(text: str) -> ReportSection | None:
    """The section a heading names: its label, loosely (numbering, punctuation and case aside)."""
    words = re.sub(r"[^a-z ]", "", re.sub(r"^\s*[\d.]+\s*", "", text.lower().replace("’", "'"))).split()
    return _HEADINGS.get(" ".join(words))


@dataclass(frozen=True)
class Extracted:
    sections: dict[str, str]
    matched: list[ReportSection]  # the sections whose headings were found


def docx_sections(data: bytes) -> Extracted:
    """The text of a Word document by the report's sections: a heading that names a section (its
    label, as on the service's pages) starts it; text before the first such heading is the
    introduction. With no such heading at all, everything is the introduction."""
    from docx import Document as WordDocument

    try:
        document = WordDocument(io.BytesIO(data))
    except Exception as error:  # a DOCX python-docx cannot read: say so, never a 500
        raise ReportError(
            "The Word document could not be read. Save it again as a .docx file and upload that"
        ) from error
    current = ReportSection.INTRODUCTION
    texts: dict[str, list[str]] = {}
    matched: list[ReportSection] = []
    for paragraph in document.paragraphs:
        text = paragraph.text.strip()
        if not text:
            continue
        style = (paragraph.style.name if paragraph.style is not None else "") or ""
        found = _heading_section(text) if style.lower().startswith(("heading", "title")) else None
        if found is not None:
            current = found
            if found not in matched:
                matched.append(found)
            continue
        texts.setdefault(current.value, []).append(text)
    return Extracted({k: "\n\n".join(v) for k, v in texts.items()}, matched)


def version_upload(
    *, review: LocalReview, actor: User, upload: UploadedFile, note: str
) -> tuple[ReportVersion, Extracted]:
    """Keeps an uploaded Word draft as the next numbered version: the file through the upload
    checks, kept on the case (read by the review's readers), and its text by section."""
    _may_write(actor, review)
    from core.uploads import UploadRejected

    try:
        checked = check_upload(upload)
    except UploadRejected as error:
        raise ReportError(str(error)) from None
    if checked.content_type != DOCX:
        raise ReportError("The selected file must be a Word document (DOCX)")
    upload.seek(0)
    data = upload.read()
    extracted = docx_sections(data)
    with transaction.atomic():
        number = _next_number(review)
        document = document_store(
            case=review.case,
            actor=actor,
            title=f"Local review report, Draft {number} (uploaded)",
            name=upload.name or "report.docx",
            data=data,
            content_type=DOCX,
            kind=Document.Kind.UPLOAD,
            topic=REPORT_TOPIC,
            audit_details={"virus_scan": checked.virus_scan},
        )
        version = ReportVersion.objects.create(
            review=review,
            number=number,
            sections=extracted.sections,
            source=ReportVersion.Source.UPLOADED,
            document=document,
            note=note.strip(),
            created_by=actor,
        )
        audit_record(
            actor=actor,
            verb=Verb.CREATE,
            target=version,
            case=review.case,
            details={
                "summary": f"Local review report: Draft {number} uploaded as a Word document",
                "number": number,
                "sections_found": [s.value for s in extracted.matched],
            },
        )
    return version, extracted


def draft_from_version(*, review: LocalReview, actor: User, version: ReportVersion, expected_version: int) -> None:
    """Carries on writing from a kept version: the working draft's sections become the version's."""
    _may_write(actor, review)
    with transaction.atomic():
        draft = ReportDraft.objects.select_for_update().filter(review=review).first()
        current = draft.version if draft is not None else 0
        if current != expected_version:
            raise ReportClash("The working draft changed since you opened this page. Check it and try again.")
        if draft is None:
            draft = ReportDraft(review=review, version=0)
        draft.sections = dict(version.sections or {})
        draft.version += 1
        draft.updated_by = actor
        draft.save()
        audit_record(
            actor=actor,
            verb=Verb.UPDATE,
            target=draft,
            case=review.case,
            details={"summary": f"Local review report: working draft taken from Draft {version.number}"},
        )


# Comparing


@dataclass(frozen=True)
class SectionDiff:
    section: ReportSection
    changed: bool
    html: SafeString  # the later text with what was removed and added marked


def _marked(kind: str, words: str) -> str:
    label = "Removed" if kind == "del" else "Added"
    return (
        f'<{kind} class="app-diff-{kind}"><span class="govuk-visually-hidden">[{label}: </span>'
        f'{html.escape(words)}<span class="govuk-visually-hidden">]</span></{kind}>'
    )


def text_diff(before: str, after: str) -> SafeString:
    """Word by word, HTML-escaped: unchanged words as they are, removed ones in <del>, added ones
    in <ins>, each with a hidden "Removed"/"Added" so it reads without colour or strikethrough."""
    a, b = re.split(r"(\s+)", before), re.split(r"(\s+)", after)
    out: list[str] = []
    for op, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(html.escape("".join(a[i1:i2])))
            continue
        if op in ("delete", "replace"):
            out.append(_marked("del", "".join(a[i1:i2])))
        if op in ("insert", "replace"):
            out.append(_marked("ins", "".join(b[j1:j2])))
    return mark_safe("".join(out).replace("\n", "<br>"))  # every piece is escaped above


def compare(earlier: ReportVersion, later: ReportVersion) -> list[SectionDiff]:
    diffs = []
    for section in ReportSection:
        before = (earlier.sections or {}).get(section.value, "")
        after = (later.sections or {}).get(section.value, "")
        diffs.append(SectionDiff(section, before != after, text_diff(before, after)))
    return diffs


# Findings and recommendations


@dataclass(frozen=True)
class ItemContent:
    kind: ReportItem.Kind
    text: str
    to_partnership: bool
    agency_ids: Sequence[int]


def _check_item(review: LocalReview, content: ItemContent) -> None:
    if not content.text.strip():
        raise ReportError(f"Enter the {content.kind.label.lower()}")
    if not content.to_partnership and not content.agency_ids:
        raise ReportError(f"Select who the {content.kind.label.lower()} is addressed to")
    if Agency.objects.filter(pk__in=content.agency_ids).exclude(partnership_id=review.case.partnership_id).exists():
        raise ReportError("Select agencies of this partnership")


def item_add(*, review: LocalReview, actor: User, content: ItemContent) -> ReportItem:
    _may_write(actor, review)
    _check_item(review, content)
    with transaction.atomic():
        LocalReview.objects.select_for_update().filter(pk=review.pk).first()
        last = ReportItem.objects.filter(review=review, kind=content.kind).aggregate(n=Max("position"))["n"]
        item = ReportItem.objects.create(
            review=review,
            kind=content.kind,
            position=int(last or 0) + 1,
            text=content.text.strip(),
            to_partnership=content.to_partnership,
            created_by=actor,
        )
        item.agencies.set(content.agency_ids)
        audit_record(
            actor=actor,
            verb=Verb.CREATE,
            target=item,
            case=review.case,
            details={"summary": f"Local review report: {content.kind.label.lower()} {item.position} added"},
        )
    return item


def item_save(*, item: ReportItem, actor: User, content: ItemContent, expected_version: int) -> ReportItem:
    """Changes an item's text and who it is addressed to (its kind stays: a finding is not
    renumbered among the recommendations behind the reader's back)."""
    review = item.review
    _may_write(actor, review)
    _check_item(review, content)
    with transaction.atomic():
        current = ReportItem.objects.select_for_update().get(pk=item.pk)
        if current.version != expected_version:
            raise ReportClash(
                f"Someone else changed this {current.get_kind_display().lower()} since you opened the page. "
                "Your text is kept below beside what is saved now."
            )
        current.text = content.text.strip()
        current.to_partnership = content.to_partnership
        current.version += 1
        current.save(update_fields=["text", "to_partnership", "version", "updated_at"])
        current.agencies.set(content.agency_ids)
        audit_record(
            actor=actor,
            verb=Verb.UPDATE,
            target=current,
            case=review.case,
            details={
                "summary": f"Local review report: {current.get_kind_display().lower()} {current.position} changed"
            },
        )
    return current


def item_move(*, item: ReportItem, actor: User, up: bool, expected_version: int) -> None:
    """Moves an item one place up or down among its kind (swapping with its neighbour)."""
    review = item.review
    _may_write(actor, review)
    with transaction.atomic():
        LocalReview.objects.select_for_update().filter(pk=review.pk).first()
        current = ReportItem.objects.get(pk=item.pk)
        if current.version != expected_version:
            raise ReportClash("The list changed since you opened the page. Check it and move the item again.")
        siblings = list(ReportItem.objects.filter(review=review, kind=current.kind).order_by("position", "id"))
        at = next(i for i, s in enumerate(siblings) if s.pk == current.pk)
        to = at - 1 if up else at + 1
        if not 0 <= to < len(siblings):
            return
        siblings[at], siblings[to] = siblings[to], siblings[at]
        for position, sibling in enumerate(siblings, start=1):
            if sibling.position != position:
                ReportItem.objects.filter(pk=sibling.pk).update(
                    position=position, version=sibling.version + 1, updated_at=timezone.now()
                )
        audit_record(
            actor=actor,
            verb=Verb.UPDATE,
            target=current,
            case=review.case,
            details={
                "summary": f"Local review report: {current.get_kind_display().lower()} moved {'up' if up else 'down'}"
            },
        )


def item_remove(*, item: ReportItem, actor: User, expected_version: int) -> None:
    review = item.review
    _may_write(actor, review)
    with transaction.atomic():
        LocalReview.objects.select_for_update().filter(pk=review.pk).first()
        current = ReportItem.objects.filter(pk=item.pk).first()
        if current is None:
            return
        if current.version != expected_version:
            raise ReportClash("Someone else changed this item since you opened the page. Check it and try again.")
        kind, label = current.kind, current.get_kind_display().lower()
        audit_record(
            actor=actor,
            verb=Verb.UPDATE,
            target=current,
            case=review.case,
            details={"summary": f"Local review report: {label} {current.position} removed", "text": current.text},
        )
        current.delete()
        for position, sibling in enumerate(
            ReportItem.objects.filter(review=review, kind=kind).order_by("position", "id"), start=1
        ):
            if sibling.position != position:
                ReportItem.objects.filter(pk=sibling.pk).update(position=position, version=sibling.version + 1)
