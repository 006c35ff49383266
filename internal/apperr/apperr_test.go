package apperr

import "testing"

func TestFieldsCollectEveryBadField(t *testing.T) {
	var f Fields
	if err := f.Err(); err != nil {
		t.Fatalf("no field added: got %v, want nil", err)
	}
	f.Add("name", "Enter a name.")
	f.AddErr(nil)
	one := Field("email", "Enter an e-mail address.")
	f.AddErr(&one)
	err := f.Err()
	if !Is(err, Invalid) {
		t.Fatalf("got %v, want an Invalid error", err)
	}
	got := err.(*Error).Fields
	if len(got) != 2 || got[0].Field != "name" || got[1] != one {
		t.Fatalf("fields = %+v, want name then email", got)
	}
}

func TestCollectSkipsNil(t *testing.T) {
	if err := Collect(nil, nil); err != nil {
		t.Fatalf("all nil: got %v, want nil", err)
	}
	one := Field("slug", "Use lower-case letters.")
	err := Collect(nil, &one)
	if e, ok := err.(*Error); !ok || len(e.Fields) != 1 || e.Fields[0] != one {
		t.Fatalf("got %#v, want one Invalid error naming slug", err)
	}
}
