"""Addresses on the admin mail page are partly hidden, in the recipient column and in errors alike."""

import pytest

from app.admin.mail import mask_address, mask_addresses


@pytest.mark.parametrize(
    ("address", "shown"),
    [
        ("alice@example.org", "a***@example.org"),
        ("a@example.org", "a***@example.org"),
        ("first.last+pb@mail.example.co.uk", "f***@mail.example.co.uk"),
        ("odd@local@example.org", "o***@example.org"),  # the domain is what follows the last @
        ("not an address", "***"),
        ("@example.org", "***"),
        ("alice@", "***"),
    ],
)
def test_mask_address(address, shown):
    assert mask_address(address) == shown


def test_every_address_in_an_error_is_masked():
    error = "SMTPRecipientsRefused: {'alice@example.org': (550, b'5.1.1 <alice@example.org>: no such user')}"
    assert mask_addresses(error) == (
        "SMTPRecipientsRefused: {'a***@example.org': (550, b'5.1.1 <a***@example.org>: no such user')}"
    )
    assert mask_addresses("ConnectionRefusedError: [Errno 111] Connection refused") == (
        "ConnectionRefusedError: [Errno 111] Connection refused"
    )
