"""QR images of ticket secrets. The QR carries the secret and nothing else, so a photo of a badge
or a forwarded screenshot never reveals who holds the ticket. Used by the ticket page, the badge
PDF and the notifications e-mail (inline image)."""

import io

# Pixels per QR module on the ticket page and in the badge PDF. Tests decode both sizes with an
# independent decoder, so keep them in step with what is actually served.
TICKET_PAGE_BOX_SIZE = 10
BADGE_BOX_SIZE = 6
# The four-module quiet zone the QR specification asks for; smaller borders fail some scanners.
QUIET_ZONE = 4


def _qr_code(secret: str, *, box_size: int, image_factory=None):
    # qrcode (and Pillow, for PNGs) load with the first QR drawn: most processes, the Celery
    # worker sending SMS reminders among them, never draw one (README, "Small server").
    import qrcode
    from qrcode.constants import ERROR_CORRECT_M

    if not secret:
        raise ValueError("A QR code needs a ticket secret.")
    code = qrcode.QRCode(
        error_correction=ERROR_CORRECT_M,
        box_size=box_size,
        border=QUIET_ZONE,
        image_factory=image_factory,
    )
    code.add_data(secret)
    code.make(fit=True)
    return code


def qr_png_bytes(secret: str, *, box_size: int = TICKET_PAGE_BOX_SIZE) -> bytes:
    """A black-on-white PNG of the QR code for `secret`."""
    image = _qr_code(secret, box_size=box_size).make_image(fill_color="black", back_color="white")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def qr_svg(secret: str, *, box_size: int = TICKET_PAGE_BOX_SIZE) -> str:
    """A standalone SVG document of the QR code for `secret` (sharp at any zoom, prints well)."""
    import qrcode.image.svg

    code = _qr_code(secret, box_size=box_size, image_factory=qrcode.image.svg.SvgPathFillImage)
    return code.make_image().to_string(encoding="unicode")
