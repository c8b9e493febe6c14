"""What a refused publish raises: the stage it stopped at and one line saying why."""

from __future__ import annotations


class PublishError(Exception):
    def __init__(self, stage: str, message: str):
        self.stage = stage
        super().__init__(message)
