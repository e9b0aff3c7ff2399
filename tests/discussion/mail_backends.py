"""Email backends that fail the way a mail server that is down or refusing fails."""

import smtplib

from django.core.mail.backends.base import BaseEmailBackend


class RefusingBackend(BaseEmailBackend):
    """Every message refused: nothing listens on the mail port."""

    error: Exception = ConnectionRefusedError(111, "Connection refused")

    def send_messages(self, messages):
        raise self.error


class DisconnectingBackend(RefusingBackend):
    error = smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


class RecipientRefusingBackend(RefusingBackend):
    error = smtplib.SMTPRecipientsRefused({"ada@example.org": (550, b"No such mailbox")})
