"""What an OpenRosa client sends: the instance XML as ODK Collect writes it, and a photo with
hidden details."""

from __future__ import annotations

import io
import uuid

from PIL import Image

from amparo.openrosa import xform


def instance_xml(instance_id: str | None = None, *, photo: str = "", **answers: str) -> bytes:
    """An instance as ODK Collect and Tella write it: the form's id and version on the root,
    elements without a prefix, meta/instanceID in the OpenRosa namespace's usual place."""
    instance_id = instance_id or f"uuid:{uuid.uuid4()}"
    fields = "".join(f"<{name}>{value}</{name}>" for name, value in answers.items())
    if photo:
        fields += f"<photo>{photo}</photo>"
    return (f"<?xml version='1.0' ?><data id=\"{xform.FORM_ID}\" version=\"{xform.FORM_VERSION}\" "
            f'xmlns:jr="http://openrosa.org/javarosa" xmlns:orx="http://openrosa.org/xforms">{fields}'
            f"<meta><instanceID>{instance_id}</instanceID></meta></data>").encode()


def photo_with_hidden_details(maker: str = "SecretPhoneMaker") -> bytes:
    image = Image.new("RGB", (16, 16), "red")
    exif = Image.Exif()
    exif[0x010F] = maker  # the camera's maker; GPS and dates are dropped the same way
    raw = io.BytesIO()
    image.save(raw, format="JPEG", exif=exif.tobytes())
    return raw.getvalue()


def multipart(xml: bytes, media: dict[str, tuple[bytes, str]], *, incomplete: bool = False,
              boundary: str = "----odkcollect7d4a6d158c9") -> tuple[bytes, str]:
    """A body as ODK Collect's OkHttp client builds it: `xml_submission_file` first, each media
    file as a part named after its file name, and `*isIncomplete*` when more POSTs follow."""
    parts = [(b'Content-Disposition: form-data; name="xml_submission_file"; filename="submission.xml"\r\n'
              b"Content-Type: text/xml\r\n\r\n" + xml)]
    for name, (content, content_type) in media.items():
        parts.append(f'Content-Disposition: form-data; name="{name}"; filename="{name}"\r\n'
                     f"Content-Type: {content_type}\r\n\r\n".encode() + content)
    if incomplete:
        parts.append(b'Content-Disposition: form-data; name="*isIncomplete*"\r\n\r\nyes')
    body = b"".join(f"--{boundary}\r\n".encode() + p + b"\r\n" for p in parts) + f"--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"
