from ninja import Field, Schema


class SmsInboundIn(Schema):
    sender: str = Field(..., alias="from", max_length=40)
    text: str = Field("", max_length=1600)


class SmsInboundOut(Schema):
    stopped: bool
