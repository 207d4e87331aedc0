"""Notifications (通知): events raised by the services after commit, their recipients by the
contract's rules, the in-app notification centre and the channels (e-mail, WeCom and DingTalk
robots, signed webhooks, an SMS gateway) delivered by the background worker."""
