"""The photos of a form are checked as the deviations API checks them, before a case is made: an empty file input is
no photo, more than four is refused, and a file that is not a photo is named with the API's own reason."""

from __future__ import annotations

import io

from starlette.datastructures import FormData, Headers, UploadFile
from varde_web.photos import MOST_PHOTOS, PHOTO_FIELD, photos_of

PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000")
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 16


def upload(name: str, content: bytes) -> UploadFile:
    return UploadFile(io.BytesIO(content), filename=name, headers=Headers({"content-type": "image/png"}))


async def test_the_photos_chosen_are_read_with_their_real_type() -> None:
    form = FormData([(PHOTO_FIELD, upload("a.png", PNG)), (PHOTO_FIELD, upload("b.jpg", JPEG)), ("title", "x")])
    photos, refusal = await photos_of(form, 1_048_576, "nb")
    assert refusal is None
    assert [(p.filename, p.content_type) for p in photos] == [("a.png", "image/png"), ("b.jpg", "image/jpeg")]


async def test_an_empty_file_input_is_no_photo() -> None:
    photos, refusal = await photos_of(FormData([(PHOTO_FIELD, upload("", b""))]), 1_048_576, "nb")
    assert (photos, refusal) == ([], None)


async def test_what_the_api_would_refuse_is_named_before_anything_is_sent() -> None:
    too_many = FormData([(PHOTO_FIELD, upload(f"{n}.png", PNG)) for n in range(MOST_PHOTOS + 1)])
    assert (await photos_of(too_many, 1_048_576, "nb"))[1] == f"Du kan legge ved høyst {MOST_PHOTOS} bilder."
    pdf = FormData([(PHOTO_FIELD, upload("skjema.pdf", b"%PDF-1.7 ..."))])
    assert (await photos_of(pdf, 1_048_576, "nn"))[1] == (
        "«skjema.pdf» kan ikkje leggjast ved: Filtypen er ikkje tillaten. "
        "Tillatne filtypar: JPEG, PNG, HEIC, WebP, GIF."
    )
    large = FormData([(PHOTO_FIELD, upload("stor.png", PNG + b"\x00" * 2_097_152))])
    assert (await photos_of(large, 1_048_576, "nb"))[1] == (
        "«stor.png» kan ikke legges ved: Filen er for stor. Den kan være høyst 1 MB."
    )
