from ninja import Field, Schema

from core.schemas import InputSchema


class SmsInboundIn(InputSchema):
    sender: str = Field(..., alias="from", max_length=40)
    text: str = Field("", max_length=1600)


class SmsInboundOut(Schema):
    stopped: bool
