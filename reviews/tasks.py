"""RV-5: the contact e-mail leaves through Celery, with retries, after the contact is saved."""

from __future__ import annotations

from datetime import timedelta

from celery import shared_task
from django.core.mail import EmailMessage
from django.utils import timezone

from sellercx.broker import try_enqueue
from sellercx.tasks import ReportedTask

from .email import render_contact_email
from .models import CustomerContact


@shared_task(
    bind=True,
    base=ReportedTask,
    autoretry_for=(OSError,),
    retry_backoff=30,
    retry_backoff_max=900,
    retry_jitter=True,
    max_retries=6,
    acks_late=True,
    time_limit=60,
    soft_time_limit=50,
)
def send_contact_email(self, contact_id: int) -> str:
    contact = (
        CustomerContact.objects.select_related(
            "review__product",
            "review__brand",
            "review__marketplace",
            "review__buyer",
            "order",
            "refund",
        )
        .filter(pk=contact_id)
        .first()
    )
    if contact is None or contact.email_status == CustomerContact.EmailStatus.SENT:
        return "skipped"
    subject, body = render_contact_email(contact)
    buyer = contact.review.buyer
    # Buyers are pseudonymous: the marketplace relays mail sent to the buyer's alias address.
    to = f"{buyer.external_id.lower()}@buyers.{contact.review.marketplace.domain}"
    try:
        EmailMessage(subject=subject, body=body, to=[to]).send()
    except OSError:
        if self.request.retries >= self.max_retries:
            CustomerContact.objects.filter(pk=contact_id).update(
                email_status=CustomerContact.EmailStatus.FAILED
            )
        raise
    CustomerContact.objects.filter(pk=contact_id).update(
        email_status=CustomerContact.EmailStatus.SENT, email_sent_at=timezone.now()
    )
    return "sent"


# A contact whose e-mail is still queued this long after it was saved lost its message (the
# broker was down when the seller pressed Send): the sweep enqueues it again. The task skips a
# contact already sent, so a late duplicate sends nothing twice in the usual case.
STALLED_AFTER = timedelta(minutes=10)
GIVE_UP_AFTER = timedelta(days=2)


@shared_task
def sweep_contact_emails() -> int:
    """Beat, every five minutes: enqueue again the contact e-mails that never left."""
    now = timezone.now()
    stalled = list(
        CustomerContact.objects.filter(
            email_status=CustomerContact.EmailStatus.QUEUED,
            created_at__lt=now - STALLED_AFTER,
            created_at__gte=now - GIVE_UP_AFTER,
        )
        .order_by("created_at")
        .values_list("pk", flat=True)[:500]
    )
    return sum(
        try_enqueue(lambda pk=pk: send_contact_email.delay(pk), what=f"contact e-mail {pk}")
        for pk in stalled
    )
