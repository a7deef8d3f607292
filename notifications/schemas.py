from ninja import Schema


class SmsInboundOut(Schema):
    received: bool
