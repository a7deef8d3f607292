"""Appends each SMS to a file per process under settings.SMS_FILE_PATH (make run, demos)."""

import datetime
import os
from pathlib import Path

from django.conf import settings

from .console import SmsBackend as ConsoleSmsBackend


class SmsBackend(ConsoleSmsBackend):
    def __init__(self, *args, file_path=None, **kwargs):
        self.directory = Path(file_path or settings.SMS_FILE_PATH)
        self.directory.mkdir(parents=True, exist_ok=True)
        stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%d-%H%M%S")
        self.path = self.directory / f"{stamp}-{os.getpid()}.log"
        super().__init__(*args, **kwargs)

    def send_messages(self, messages):
        with self.path.open("a", encoding="utf-8") as handle:
            self.stream = handle
            return super().send_messages(messages)
