"""``make bench``: a marketplace-scale dataset in its own database and the timed scenarios."""
