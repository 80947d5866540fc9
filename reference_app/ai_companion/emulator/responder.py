"""A deterministic, persona-aware stand-in for the chat model, driven by the app's prompts."""

from __future__ import annotations

import json
import re
import zlib
from typing import Any

from ai_companion import prompts

_FACT_PATTERNS = (
    (r"\bmy name is (\w+)", "User's name is {0}"),
    (r"\bi(?:'m| am) (\d+) years old", "User is {0} years old"),
    (r"\bi live in ([\w ]+?)(?=[.,!?;]|$| and )", "User lives in {0}"),
    (r"\bi work as ((?:an? )?[\w ]+?)(?=[.,!?;]|$| and )", "User works as {0}"),
    (r"\bi (?:really )?(?:love|like|enjoy) ([\w ]+?)(?=[.,!?;]|$| and )", "User likes {0}"),
    (r"\bmy favou?rite (\w+) is ([\w ]+?)(?=[.,!?;]|$| and )", "User's favourite {0} is {1}"),
)
_IMAGE_WORDS = re.compile(r"\b(picture|photo|image|draw|paint|selfie|show me)\b", re.I)
_VOICE_WORDS = re.compile(r"\b(voice|say it|speak|hear you|out loud|audio)\b", re.I)
_GREETING = re.compile(r"^\W*(hello|hi|hey|good (morning|afternoon|evening))\b", re.I)
_ACTIVITY_QUESTION = re.compile(r"\bwhat are you (doing|up to)\b|\bwhere are you\b", re.I)
_MEMORY_QUESTION = re.compile(
    r"\b(do you remember|what'?s my name|what is my name|know about me|who am i)\b", re.I
)
_FOLLOW_UPS = (
    "Tell me more?",
    "How does that make you feel?",
    "What happened next?",
    "I'd love to hear more about that.",
)


def extract_facts(text: str) -> list[str]:
    """Facts the user states about themselves, phrased the way the app's prompt asks."""
    facts = []
    for pattern, template in _FACT_PATTERNS:
        for match in re.finditer(pattern, text, re.I):
            facts.append(template.format(*(g.strip() for g in match.groups())))
    return facts


def choose_mode(text: str) -> dict[str, str]:
    if _IMAGE_WORDS.search(text):
        return {"mode": "image", "image_prompt": text}
    return {"mode": "voice" if _VOICE_WORDS.search(text) else "text"}


def summarise(transcript: str) -> str:
    """Keep the earlier summary and the opening words of each user line."""
    lines = transcript.splitlines()
    earlier = [line for line in lines if line.startswith(prompts.SUMMARY_LABEL)]
    said = [" ".join(line[6:].split()[:8]) for line in lines if line.startswith("user: ")]
    summary = "The user said: " + "; ".join(said) + "."
    return " ".join([*(e.removeprefix(prompts.SUMMARY_LABEL).strip() for e in earlier), summary])


def _section(system: str, label: str) -> list[str]:
    """The lines of ``system`` under ``label`` (a same-line value or a list of '- ' items)."""
    lines = system.splitlines()
    for i, line in enumerate(lines):
        if line.startswith(label):
            rest = line[len(label) :].strip().rstrip(".")
            if rest:
                return [rest]
            return [item[2:] for item in lines[i + 1 :] if item.startswith("- ")]
    return []


def character_reply(system: str, user: str) -> str:
    """A reply in character: greets, tells the current activity, recalls memories, reflects."""
    name = re.search(r"You are (\w+)", system)
    persona = name.group(1) if name else "your companion"
    activity = (_section(system, prompts.ACTIVITY_LABEL) or ["here"])[0]
    memories = _section(system, prompts.MEMORY_LABEL)
    image = re.search(r"\[Image: (.+?)\]", user)
    heard = re.search(r"\[Voice note: (.*?)\]", user)
    # What the user said, typed or spoken, without the app's annotations.
    said = " ".join(
        [re.sub(r"\[(Image|Voice note): .*?\]", "", user), heard.group(1) if heard else ""]
    )
    if image:
        return f"Thanks for the picture! I see {image.group(1)[0].lower()}{image.group(1)[1:]}"
    if _GREETING.search(said):
        return f"Hi! It's {persona}. Right now I'm {activity}. How's your day going?"
    if _ACTIVITY_QUESTION.search(said):
        return f"I'm {activity} at the moment."
    if _MEMORY_QUESTION.search(said):
        if not memories:
            return "You haven't told me much about yourself yet. Tell me something?"
        recalled = "; ".join(_second_person(m) for m in memories)
        return f"Of course I remember: {recalled}."
    if facts := extract_facts(said):
        told = "; ".join(_second_person(f) for f in facts)
        return f"Nice to know: {told}. I'll remember that. {_follow_up(said)}"
    if _IMAGE_WORDS.search(said):
        return f"Here you go! I made this for you while {activity}."
    if _VOICE_WORDS.search(said):
        return f"Here's a little voice message from me: I'm {activity}, and I'm glad you wrote."
    if heard:
        return f'I listened to your voice note: "{heard.group(1)}". {_follow_up(said)}'
    snippet = " ".join(said.split()[:12])
    return f'You said "{snippet}". {_follow_up(said)}'


_SECOND_PERSON = {"User's": "your", "User is": "you are", "User lives": "you live"}
_SECOND_PERSON |= {"User works": "you work", "User likes": "you like", "User": "you"}


def _second_person(fact: str) -> str:
    for third, second in _SECOND_PERSON.items():
        if fact.startswith(third):
            return second + fact[len(third) :]
    return fact


def _follow_up(text: str) -> str:
    return _FOLLOW_UPS[zlib.crc32(text.encode()) % len(_FOLLOW_UPS)]


def complete(body: dict[str, Any]) -> dict[str, Any]:
    """The assistant message for a chat-completions request body (text-only messages).

    A trailing assistant message is a prefill, as Groq takes it: the reply continues it, so
    only what follows the prefill is returned.
    """
    messages = body.get("messages", [])
    if messages and messages[-1].get("role") == "assistant":
        prefill = messages[-1].get("content") or ""
        whole = complete({**body, "messages": messages[:-1]})["content"] or ""
        return {"role": "assistant", "content": whole.removeprefix(prefill)}
    system = next((m["content"] for m in messages if m.get("role") == "system"), "")
    user = next((m["content"] for m in reversed(messages) if m.get("role") == "user"), "")
    if body.get("tools"):
        name = body["tools"][0]["function"]["name"]
        arguments = json.dumps(choose_mode(user))
        call = {"id": f"call_{zlib.crc32(user.encode()):08x}", "type": "function"}
        call["function"] = {"name": name, "arguments": arguments}
        return {"role": "assistant", "content": None, "tool_calls": [call]}
    if (body.get("response_format") or {}).get("type") == "json_object":
        return {"role": "assistant", "content": json.dumps({"facts": extract_facts(user)})}
    if system == prompts.SUMMARY_SYSTEM:
        return {"role": "assistant", "content": summarise(user)}
    return {"role": "assistant", "content": character_reply(system, user)}
