package intent

import (
	"testing"
	"time"
)

func TestCustomerList(t *testing.T) {
	tests := []struct {
		text string
		want ListAsk
		ok   bool
	}{
		{"ближайшие дни рождения", ListAsk{Kind: BirthdaysWeek}, true},
		{"у кого день рождения на этой неделе?", ListAsk{Kind: BirthdaysWeek}, true},
		{"дни рождения", ListAsk{Kind: BirthdaysMonth}, true},
		{"у кого день рождения в декабре?", ListAsk{Kind: BirthdaysMonth, Month: time.December}, true},
		{"именинники в этом месяце", ListAsk{Kind: BirthdaysMonth}, true},
		{"др в следующем месяце", ListAsk{Kind: BirthdaysMonth, Next: true}, true},
		{"кімнің туған күні осы аптада?", ListAsk{Kind: BirthdaysWeek}, true},
		{"желтоқсанда кімнің туған күні?", ListAsk{Kind: BirthdaysMonth, Month: time.December}, true},
		{"birthdays this month", ListAsk{Kind: BirthdaysMonth}, true},
		{"upcoming birthdays", ListAsk{Kind: BirthdaysWeek}, true},
		{"спящие клиенты", ListAsk{Kind: NoOrders}, true},
		{"кто не заказывал больше 3 месяцев?", ListAsk{Kind: NoOrders, Days: 90}, true},
		{"кто давно не покупал", ListAsk{Kind: NoOrders}, true},
		{"кто не заказывал больше полугода", ListAsk{Kind: NoOrders, Days: 180}, true},
		{"көптен бері тапсырыс бермегендер", ListAsk{Kind: NoOrders}, true},
		{"3 айдан астам тапсырыс бермеген клиенттер", ListAsk{Kind: NoOrders, Days: 90}, true},
		{"who hasn't ordered for 2 months", ListAsk{Kind: NoOrders, Days: 60}, true},
		{"у Айгерим день рождения 3 января", ListAsk{}, false},
		{"день рождения Айгерим 12 марта", ListAsk{}, false},
		{"Айгерим не заказывала", ListAsk{}, false},
		{"заказ Айгерим крем 2", ListAsk{}, false},
		{"кто мне должен?", ListAsk{}, false},
		{"привет", ListAsk{}, false},
		{"день", ListAsk{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			got, ok := CustomerList(tt.text)
			if got != tt.want || ok != tt.ok {
				t.Fatalf("CustomerList(%q) = %+v, %v; want %+v, %v", tt.text, got, ok, tt.want, tt.ok)
			}
		})
	}
}
