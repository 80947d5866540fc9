"""Ways to reach the companion: the WhatsApp Cloud API webhook and the Chainlit web chat."""
