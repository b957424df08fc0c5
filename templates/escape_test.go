package templates

import (
	"html/template"
	"reflect"
	"strings"
	"testing"
)

// poison is appended to every string the escaping test renders: a tag,
// an ampersand and the plus html/template writes as &#43;.
const poison = "<q&+>"

// poisoned is v with poison appended to every string in it: map values,
// slice elements, exported struct fields. template.HTML is trusted markup
// the callers built by rendering a template, so it stays as it is.
func poisoned(v reflect.Value) reflect.Value {
	switch v.Kind() {
	case reflect.Interface:
		if v.IsNil() {
			return v
		}
		inner := poisoned(v.Elem())
		out := reflect.New(v.Type()).Elem()
		out.Set(inner)
		return out
	case reflect.String:
		if v.Type() == reflect.TypeOf(template.HTML("")) {
			return v
		}
		out := reflect.New(v.Type()).Elem()
		out.SetString(v.String() + poison)
		return out
	case reflect.Map:
		if v.IsNil() {
			return v
		}
		out := reflect.MakeMapWithSize(v.Type(), v.Len())
		for it := v.MapRange(); it.Next(); {
			out.SetMapIndex(it.Key(), poisoned(it.Value()))
		}
		return out
	case reflect.Slice:
		if v.IsNil() {
			return v
		}
		out := reflect.MakeSlice(v.Type(), v.Len(), v.Len())
		for i := 0; i < v.Len(); i++ {
			out.Index(i).Set(poisoned(v.Index(i)))
		}
		return out
	case reflect.Struct:
		out := reflect.New(v.Type()).Elem()
		out.Set(v)
		for i := 0; i < v.NumField(); i++ {
			if f := out.Field(i); f.CanSet() {
				f.Set(poisoned(v.Field(i)))
			}
		}
		return out
	}
	return v
}

// TestEveryTemplateEscapesDataOnce renders every key of every locale with
// "<q&+>" appended to each string field: the output must hold the data
// escaped once (&lt;q&amp;&#43;&gt;), never raw (a tag Telegram would
// reject or obey) nor twice (&amp;lt; shown as text).
func TestEveryTemplateEscapesDataOnce(t *testing.T) {
	s := MustLoad()
	once := "&lt;q&amp;&#43;&gt;" // html/template writes + as &#43;
	twice := []string{"&amp;lt;", "&amp;amp;", "&amp;#43;", "&amp;gt;"}
	shown := 0
	for _, l := range Languages {
		for _, n := range s.Names(l) {
			data := poisoned(reflect.ValueOf(fixtureFor(n))).Interface()
			got, err := s.Render(l, n, data)
			if err != nil {
				t.Errorf("%s/%s: %v", l, n, err)
				continue
			}
			if strings.Contains(got, "<q") {
				t.Errorf("%s/%s shows data unescaped: %s", l, n, got)
			}
			for _, tw := range twice {
				if strings.Contains(got, tw) {
					t.Errorf("%s/%s escapes data twice (%s): %s", l, n, tw, got)
				}
			}
			if strings.Contains(got, once) {
				shown++
			}
		}
	}
	if shown < 100 {
		t.Errorf("only %d renders showed a string field: the poison did not reach the templates", shown)
	}
	t.Logf("%d renders showed poisoned data, each escaped once", shown)
}
