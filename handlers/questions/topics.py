"""/topics: browse the content base with buttons, group by group, in the user's language."""

from __future__ import annotations

from handlers.buttons import AllTopics, ShowGroup, ShowTopic
from handlers.context import Context
from handlers.types import Action, Button, Reply


def overview(ctx: Context, edit: bool = False) -> Reply:
    pack = ctx.library.pack
    buttons = tuple((Button(pack.group_title(group, ctx.lang), str(ShowGroup(group))),) for group in pack.group_ids())
    return Reply(ctx.t._("What would you like to know about? Choose a subject:"), buttons, edit=edit)


async def topics(ctx: Context) -> list[Action]:
    return [overview(ctx)]


async def all_topics(ctx: Context, _: AllTopics) -> list[Action]:
    return [overview(ctx)]


async def group(ctx: Context, pressed: ShowGroup) -> list[Action]:
    pack, group_id = ctx.library.pack, pressed.group
    if not group_id or group_id not in pack.group_ids():
        return [overview(ctx, edit=True)]
    rows = [
        (Button(pack.text(topic, ctx.lang)[0].title, str(ShowTopic(topic.id))),) for topic in pack.topics_in(group_id)
    ]
    rows.append((Button("« " + ctx.t._("All topics"), str(ShowGroup())),))
    return [Reply(pack.group_title(group_id, ctx.lang), tuple(rows), edit=True)]
