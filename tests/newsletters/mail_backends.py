"""A mail server that answers per recipient as real ones do: refuses for good (5xx) or for now (4xx)."""

import smtplib

from django.core.mail.backends.locmem import EmailBackend


class AnsweringBackend(EmailBackend):
    """Delivers to the test outbox, except addresses starting "gone" (550) or "busy" (451)."""

    def send_messages(self, messages):
        for message in messages:
            for address in message.recipients():
                if address.startswith("gone"):
                    raise smtplib.SMTPRecipientsRefused({address: (550, b"5.1.1 No such mailbox")})
                if address.startswith("busy"):
                    raise smtplib.SMTPRecipientsRefused({address: (451, b"4.2.1 Try again later")})
        return super().send_messages(messages)


class DroppingBackend(EmailBackend):
    """The server hangs up at once."""

    def send_messages(self, messages):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


class StoppedOnThirdBackend(EmailBackend):
    """Delivers two messages, then the worker is stopped while handing over the third."""

    def send_messages(self, messages):
        from django.core import mail

        if len(getattr(mail, "outbox", [])) >= 2:
            raise KeyboardInterrupt
        return super().send_messages(messages)
