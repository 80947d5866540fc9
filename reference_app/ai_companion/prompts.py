"""Every prompt the workflow sends; the emulator reads the same labels to play its part."""

from __future__ import annotations

from ai_companion.persona import Persona

ACTIVITY_LABEL = "Right now you are:"
MEMORY_LABEL = "What you remember about the user:"
SUMMARY_LABEL = "Summary of the conversation so far:"

FACTS_SYSTEM = (
    "Extract lasting personal facts the user states about themselves (name, age, home, job, "
    'likes, family). Answer with a JSON object {"facts": ["User ...", ...]}; write each fact '
    'as a short sentence starting with "User"; use an empty list when there are none.'
)

SUMMARY_SYSTEM = (
    "Summarise the conversation below in at most five sentences, keeping names, facts and "
    "open questions. Answer with the summary only."
)

ROUTER_SYSTEM = (
    "Decide how the companion should answer the user's last message: 'image' when they ask "
    "to see a picture, 'voice' when they ask to hear a voice message, otherwise 'text'. For "
    "'image', also write a short prompt describing the picture to draw."
)

ROUTER_TOOL = {
    "type": "function",
    "function": {
        "name": "choose_reply_mode",
        "description": "Choose the medium of the companion's reply.",
        "parameters": {
            "type": "object",
            "properties": {
                "mode": {"type": "string", "enum": ["text", "image", "voice"]},
                "image_prompt": {"type": "string"},
            },
            "required": ["mode"],
        },
    },
}

VISION_QUESTION = "Describe this image in one or two sentences, mentioning its main colours."


def character_system(persona: Persona, activity: str, memories: list[str], summary: str) -> str:
    """The system prompt for the character's reply."""
    lines = [
        f"You are {persona.name}, {persona.description}.",
        "Never say you are an AI. Keep replies under three sentences.",
        f"{ACTIVITY_LABEL} {activity}.",
    ]
    if memories:
        lines += [MEMORY_LABEL, *(f"- {fact}" for fact in memories)]
    if summary:
        lines += [f"{SUMMARY_LABEL} {summary}"]
    return "\n".join(lines)
