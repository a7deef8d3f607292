"""How many SMS segments a text costs. A text that fits the GSM 03.38 alphabet travels in 7-bit
septets (160 per single SMS, 153 per part once concatenated; characters of the extension table
take two septets). Anything else — Arabic for instance — forces UCS-2: 70 UTF-16 units per single
SMS, 67 per part, and characters outside the BMP take two units."""

from dataclasses import dataclass

GSM7_BASIC = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENSION = set("^{}\\[~]|€\f")

GSM7_SINGLE, GSM7_PART = 160, 153
UCS2_SINGLE, UCS2_PART = 70, 67
# Above this many segments the admin warns: cost and delivery both get worse.
RECOMMENDED_MAX_SEGMENTS = 2


@dataclass(frozen=True)
class SegmentCount:
    encoding: str  # "GSM-7" or "UCS-2"
    units: int  # septets or UTF-16 code units
    segments: int
    per_segment: int

    @property
    def too_long(self) -> bool:
        return self.segments > RECOMMENDED_MAX_SEGMENTS


def is_gsm7(text: str) -> bool:
    return all(ch in GSM7_BASIC or ch in GSM7_EXTENSION for ch in text)


def count_segments(text: str) -> SegmentCount:
    if is_gsm7(text):
        units = sum(2 if ch in GSM7_EXTENSION else 1 for ch in text)
        single, part, encoding = GSM7_SINGLE, GSM7_PART, "GSM-7"
    else:
        units = len(text.encode("utf-16-le")) // 2
        single, part, encoding = UCS2_SINGLE, UCS2_PART, "UCS-2"
    if units <= single:
        return SegmentCount(encoding, units, 1 if units else 0, single)
    return SegmentCount(encoding, units, -(-units // part), part)
