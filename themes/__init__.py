"""Built-in pressroom themes, each a folder with theme.toml, templates/ and css/."""
