package model

import (
	"errors"
	"fmt"
)

// Check reports the first way m breaks the model's rules within chat c:
// a system event has no sender and an Event, every other message has a
// sender that is a participant of c, kinds and event types are known, and
// reactions, votes and quotes name participants. Importers call it on what
// they produce; the conformance kits call it on every message.
func (m *Message) Check(c *Chat) error {
	if m.ID == "" {
		return errors.New("message has no id")
	}
	if !m.Kind.Valid() {
		return fmt.Errorf("message %s: unknown kind %q", m.ID, m.Kind)
	}
	if m.Kind == KindSystem {
		if m.Sender != "" {
			return fmt.Errorf("message %s: system event has a sender", m.ID)
		}
		if m.Event == nil {
			return fmt.Errorf("message %s: system event has no event", m.ID)
		}
		if !m.Event.Type.Valid() {
			return fmt.Errorf("message %s: unknown event type %q", m.ID, m.Event.Type)
		}
	} else {
		if m.Sender == "" {
			return fmt.Errorf("message %s: %s message has no sender", m.ID, m.Kind)
		}
		if m.Event != nil {
			return fmt.Errorf("message %s: %s message carries a system event", m.ID, m.Kind)
		}
	}
	known := func(what string, id ParticipantID) error {
		if id != "" && c.Participant(id) == nil {
			return fmt.Errorf("message %s: %s %q is not a participant of chat %s", m.ID, what, id, c.ID)
		}
		return nil
	}
	if err := known("sender", m.Sender); err != nil {
		return err
	}
	if m.Quote != nil {
		if err := known("quoted sender", m.Quote.Sender); err != nil {
			return err
		}
	}
	for _, r := range m.Reactions {
		if r.Sender == "" {
			return fmt.Errorf("message %s: reaction %q has no sender", m.ID, r.Emoji)
		}
		if err := known("reaction sender", r.Sender); err != nil {
			return err
		}
	}
	if m.Poll != nil {
		for _, o := range m.Poll.Options {
			for _, v := range o.Voters {
				if err := known("poll voter", v); err != nil {
					return err
				}
			}
		}
	}
	if m.Event != nil {
		if err := known("event actor", m.Event.Actor); err != nil {
			return err
		}
		for _, t := range m.Event.Targets {
			if err := known("event target", t); err != nil {
				return err
			}
		}
	}
	return nil
}

// Check reports the first way c breaks the model's rules: an id, a known
// kind, and unique, non-empty participant ids with at most one Me.
func (c *Chat) Check() error {
	if c.ID == "" {
		return errors.New("chat has no id")
	}
	if c.Kind != Direct && c.Kind != Group {
		return fmt.Errorf("chat %s: unknown kind %q (want direct or group)", c.ID, c.Kind)
	}
	seen := make(map[ParticipantID]bool, len(c.Participants))
	me := 0
	for _, p := range c.Participants {
		if p.ID == "" {
			return fmt.Errorf("chat %s: participant %q has no id", c.ID, p.Name)
		}
		if seen[p.ID] {
			return fmt.Errorf("chat %s: participant id %q appears twice", c.ID, p.ID)
		}
		seen[p.ID] = true
		if p.Me {
			me++
		}
	}
	if me > 1 {
		return fmt.Errorf("chat %s: %d participants are marked as me", c.ID, me)
	}
	return nil
}
