"""Email leaves through the task queue: a mail server that is down delays a message, never a page.

`QueuedEmailBackend` is Django's EMAIL_BACKEND: whatever Django, Wagtail or our code sends (password
resets, moderation notices) is stored as a task, and the worker delivers it through
EMAIL_DELIVERY_BACKEND (SMTP in production), retrying while the server cannot be reached. Emails
whose sending must be recorded (a donor's receipt) are sent by their own tasks through
`delivery_connection()`, so the record is written only after the server has taken the message.
"""

import smtplib

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives, get_connection
from django.core.mail.backends.base import BaseEmailBackend

from .background import background_task

# What a mail server that is down, refusing, or slow looks like: worth trying again later.
DELIVERY_ERRORS = (smtplib.SMTPException, OSError)


def delivery_connection():
    return get_connection(settings.EMAIL_DELIVERY_BACKEND)


class QueuedEmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        count = 0
        for message in email_messages:
            if not message.recipients():
                continue
            try:
                deliver_email.enqueue(serialise(message))
            except Exception:
                # An error report about a database outage cannot be queued in that database.
                if not self.fail_silently:
                    raise
                continue
            count += 1
        return count


def serialise(message: EmailMessage) -> dict:
    if message.attachments:
        # Nothing the site sends has attachments; refuse rather than drop one silently.
        raise ValueError("Queued emails cannot carry attachments.")
    return {
        "subject": str(message.subject),
        "body": str(message.body),
        "from_email": message.from_email,
        "to": list(message.to),
        "cc": list(message.cc),
        "bcc": list(message.bcc),
        "reply_to": list(message.reply_to),
        "headers": dict(message.extra_headers),
        "alternatives": [[str(content), mimetype] for content, mimetype in getattr(message, "alternatives", [])],
    }


def deserialise(data: dict) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=data["subject"],
        body=data["body"],
        from_email=data["from_email"],
        to=data["to"],
        cc=data["cc"],
        bcc=data["bcc"],
        reply_to=data["reply_to"],
        headers=data["headers"],
    )
    for content, mimetype in data["alternatives"]:
        message.attach_alternative(content, mimetype)
    return message


@background_task(retry_on=DELIVERY_ERRORS)
def deliver_email(data: dict) -> None:
    delivery_connection().send_messages([deserialise(data)])
