"""Questions: plain text answered from the content base, /topics to browse, feedback."""

from handlers import buttons
from handlers.questions.answers import feedback, hide_contacts, masked, office_referral, question, show_topic
from handlers.questions.topics import all_topics, group, topics
from handlers.routes import Routes

ROUTES = Routes(
    commands={"topics": topics},
    buttons={
        buttons.ShowTopic: show_topic,
        buttons.ShowGroup: group,
        buttons.AllTopics: all_topics,
        buttons.AnswerFeedback: feedback,
    },
)

__all__ = ["ROUTES", "hide_contacts", "masked", "office_referral", "question"]
