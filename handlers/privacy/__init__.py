"""Privacy: /privacy, /mydata, /delete, and the one path by which a user is deleted."""

from handlers import buttons
from handlers.privacy.account import delete_answer, delete_request, erase, my_data, privacy
from handlers.routes import Routes

ROUTES = Routes(
    commands={"privacy": privacy, "mydata": my_data, "delete": delete_request},
    buttons={buttons.DeleteAccount: delete_answer},
)

__all__ = ["ROUTES", "erase"]
