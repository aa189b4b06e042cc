package liveness

import (
	"fmt"
	"math"
)

// sequence finds the requested actions in the observed frames. Landmarks,
// eyes, pose and the smile probability are measured on demand, once per
// frame, and only on the frames a search (or the identity check) reaches.
type sequence struct {
	v   *Verifier
	obs []observation
	// measureLandmarks, measureEyes, measurePose and measureSmile measure
	// one frame; nil means the verifier's models (tests count the calls).
	measureLandmarks func(*observation) error
	measureEyes      func(*observation) error
	measurePose      func(*observation) error
	measureSmile     func(*observation) (float64, error)
}

// match looks for each action in order, each after the previous one's
// frame, and returns the frame of each (-1 when not found) and the reason
// of the first failure: out_of_order when the missing action did happen,
// but before the one it should follow; action_missing otherwise.
func (s *sequence) match(actions []Action) (events []int, r Reason, detail string, err error) {
	events = make([]int, len(actions))
	for i := range events {
		events[i] = -1
	}
	from := 0
	for i, a := range actions {
		ev, ok, err := s.find(a, from)
		if err != nil {
			return events, "", "", err
		}
		if !ok {
			if i > 0 {
				if _, before, err := s.find(a, 0); err != nil {
					return events, "", "", err
				} else if before {
					return events, ReasonOutOfOrder, fmt.Sprintf("%s happened, but not after %s", a, actions[i-1]), nil
				}
			}
			return events, ReasonActionMissing, fmt.Sprintf("%s not seen", a), nil
		}
		events[i] = ev
		from = ev + 1
	}
	return events, "", "", nil
}

// find returns the first frame at or after from that completes action a.
func (s *sequence) find(a Action, from int) (int, bool, error) {
	l := s.v.lim
	o := s.obs
	// before reports whether some frame before t, back to the previous
	// action's own frame, satisfies cond: the state an action starts from.
	before := func(t int, cond func(observation) bool) bool {
		for k := max(from-1, 0); k < t; k++ {
			if cond(o[k]) {
				return true
			}
		}
		return false
	}
	switch a {
	case Blink:
		// Every frame the search and before() read: from the previous
		// action's frame to the end.
		for k := max(from-1, 0); k < len(o); k++ {
			if err := s.eyes(k); err != nil {
				return -1, false, err
			}
		}
		for c := from; c < len(o); c++ {
			if o[c].open >= l.EyesClosed {
				continue
			}
			open := func(x observation) bool { return x.open >= l.EyesOpen }
			after := false
			for k := c + 1; k < len(o); k++ {
				after = after || open(o[k])
			}
			if after && before(c, open) {
				return c, true, nil
			}
		}
	case TurnLeft, TurnRight:
		sign := -1.0
		if a == TurnRight {
			sign = 1
		}
		// Pose is measured as the search reaches a frame: before(t) looks
		// back only at frames already reached.
		if err := s.pose(max(from-1, 0)); err != nil {
			return -1, false, err
		}
		for t := from; t < len(o); t++ {
			if err := s.pose(t); err != nil {
				return -1, false, err
			}
			if sign*o[t].yaw >= l.TurnDegrees && before(t, func(x observation) bool { return sign*x.yaw <= l.NeutralDegrees }) {
				return t, true, nil
			}
		}
	case LookUp:
		for _, k := range []int{0, max(from-1, 0)} {
			if err := s.pose(k); err != nil {
				return -1, false, err
			}
		}
		base := o[0].pitch
		for t := from; t < len(o); t++ {
			if err := s.pose(t); err != nil {
				return -1, false, err
			}
			if o[t].pitch-base >= l.LookUpDegrees && before(t, func(x observation) bool { return x.pitch-base <= l.NeutralDegrees/2 }) {
				return t, true, nil
			}
		}
	case Smile, StopSmiling:
		return s.findSmile(a == Smile, from)
	}
	return -1, false, nil
}

// findSmile looks for a change of expression after from: for a smile, the
// widest mouth must be smiling and the narrowest before it not; for
// stopping, the narrowest mouth after the widest must not be smiling and
// the widest must. Mouth width picks the two frames, the expression model
// decides on them, so a smile costs two model runs, not one per frame, and
// a stop after it one more (the smile's own frame is already measured).
func (s *sequence) findSmile(start bool, from int) (int, bool, error) {
	o := s.obs
	argExt := func(lo, hi int, widest bool) int {
		best := -1
		for k := lo; k < hi; k++ {
			if math.IsNaN(o[k].mouth) {
				continue
			}
			if best < 0 || (widest && o[k].mouth > o[best].mouth) || (!widest && o[k].mouth < o[best].mouth) {
				best = k
			}
		}
		return best
	}
	// Mouth widths of every frame argExt reads.
	lo := from
	if !start {
		lo = max(from-1, 0)
	}
	for k := lo; k < len(o); k++ {
		if err := s.landmarks(k); err != nil {
			return -1, false, err
		}
	}
	var on, off int
	if start {
		on = argExt(from, len(o), true)
		off = argExt(from, max(on, from), false)
	} else {
		// The smile being stopped may be the previous action's own frame.
		on = argExt(max(from-1, 0), len(o), true)
		off = argExt(on+1, len(o), false)
	}
	if on < 0 || off < 0 {
		return -1, false, nil
	}
	// The second run is skipped when the first already fails.
	if pOn, err := s.smile(on); err != nil || pOn < s.v.lim.SmileOn {
		return -1, false, err
	}
	if pOff, err := s.smile(off); err != nil || pOff > s.v.lim.SmileOff {
		return -1, false, err
	}
	if start {
		return on, true, nil
	}
	return off, true, nil
}

// landmarks measures frame k's landmarks and mouth width, once.
func (s *sequence) landmarks(k int) error {
	o := &s.obs[k]
	if !o.bare {
		return nil
	}
	measure := s.v.measureLandmarks
	if s.measureLandmarks != nil {
		measure = s.measureLandmarks
	}
	if err := measure(o); err != nil {
		return err
	}
	o.bare = false
	return nil
}

// eyes measures frame k's eye openness (and its landmarks first), once.
func (s *sequence) eyes(k int) error {
	o := &s.obs[k]
	if !math.IsNaN(o.open) {
		return nil
	}
	if err := s.landmarks(k); err != nil {
		return err
	}
	if s.measureEyes != nil {
		return s.measureEyes(o)
	}
	return s.v.measureEyes(o)
}

// pose measures frame k's yaw and pitch, once.
func (s *sequence) pose(k int) error {
	if k < 0 || k >= len(s.obs) || !math.IsNaN(s.obs[k].yaw) {
		return nil
	}
	if s.measurePose != nil {
		return s.measurePose(&s.obs[k])
	}
	return s.v.measurePose(&s.obs[k])
}

// smile returns frame k's happy probability, computing it once.
func (s *sequence) smile(k int) (float64, error) {
	o := &s.obs[k]
	if math.IsNaN(o.smile) {
		var p float64
		var err error
		if s.measureSmile != nil {
			p, err = s.measureSmile(o)
		} else {
			p, err = smileProb(s.v.expr, o.img, o.face.Box)
		}
		if err != nil {
			return 0, err
		}
		o.smile = p
	}
	return o.smile, nil
}
