"""Clips for Chromium's fake camera (`--use-file-for-fake-video-capture=<file>.y4m`): white
frames and frames showing a QR code, in YUV4MPEG2 (grey: luma only, neutral chroma). Used by the
scanner's browser tests and by the scanner latency benchmark."""

from dataclasses import dataclass
from pathlib import Path

FRAME_SIZE = (640, 480)


@dataclass(frozen=True)
class QrFrame:
    luma: bytes
    # The centre of the top-left finder pattern, always black: where a watcher of the video
    # can tell a QR frame from a white one by reading one pixel.
    finder_centre: tuple[int, int]


def qr_frame(text: str, size: tuple[int, int] = FRAME_SIZE) -> QrFrame:
    """A frame with the QR code of `text` centred, as large as the frame's height allows."""
    import qrcode
    from PIL import Image

    code = qrcode.QRCode(box_size=8, border=4)
    code.add_data(text)
    code.make()
    image = code.make_image().get_image().convert("L")
    side = min(size[1] - 40, image.size[0])
    image = image.resize((side, side), Image.NEAREST)
    frame = Image.new("L", size, 255)
    left, top = (size[0] - side) // 2, (size[1] - side) // 2
    frame.paste(image, (left, top))
    module = side / (code.modules_count + 2 * code.border)
    centre = int(left + (code.border + 3.5) * module), int(top + (code.border + 3.5) * module)
    return QrFrame(luma=frame.tobytes(), finder_centre=centre)


def white_luma(size: tuple[int, int] = FRAME_SIZE) -> bytes:
    return bytes([255]) * (size[0] * size[1])


def y4m_write(
    path: Path, frames: list[bytes], *, fps: int = 10, size: tuple[int, int] = FRAME_SIZE
) -> None:
    """Write luma planes as a grey 4:2:0 clip; the fake camera plays it in a loop."""
    chroma = bytes([128]) * (size[0] // 2 * size[1] // 2)
    with path.open("wb") as out:
        out.write(f"YUV4MPEG2 W{size[0]} H{size[1]} F{fps}:1 Ip A1:1 C420jpeg\n".encode())
        for luma in frames:
            out.write(b"FRAME\n" + luma + chroma + chroma)
