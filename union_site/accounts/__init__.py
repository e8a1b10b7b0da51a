"""Accounts: login lockout (django-axes), two-factor sign-in (django-otp, TOTP and backup codes) and idle logout.

README, "Security", says what each does for the people using the admin; the settings live in union_site/settings.py
under "Accounts"."""
