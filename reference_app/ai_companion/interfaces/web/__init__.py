"""The Chainlit web chat (extra ``web``): text, pictures and voice notes in a browser."""
