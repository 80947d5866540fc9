"""The WhatsApp Cloud API webhook: signed deliveries in, replies out through the Graph API."""
