-- A seat is offered and accepted (issue 10): the offers still waiting for the member's answer.
CREATE TABLE team_seat_offers (
    team_id TEXT NOT NULL, member_id TEXT NOT NULL, offered_at TEXT NOT NULL, PRIMARY KEY (team_id, member_id)
);
