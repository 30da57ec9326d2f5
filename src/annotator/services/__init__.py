"""Use cases over a project. Every mutation is one transaction returning `Changes`.

The package imports nothing by itself: `services.api.Project` loads SQLAlchemy, which the
window's first frame does without (`storage.first_frame`)."""
