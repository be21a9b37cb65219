"""The integration office's content tools: /unanswered and /reload."""

from handlers.office.content_tools import reload, unanswered
from handlers.routes import Routes

ROUTES = Routes(commands={"unanswered": unanswered, "reload": reload})

__all__ = ["ROUTES"]
