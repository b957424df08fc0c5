package pdf

import (
	"bytes"
	"fmt"
	"testing"
)

func TestLabels(t *testing.T) {
	var labels []Label
	for i := range 25 {
		labels = append(labels, Label{Name: fmt.Sprintf("Әлия Қасымова %d", i), Address: "Алматы, проспект Абая 150, кв. 12\nҚазақстан 050000"})
	}
	var buf bytes.Buffer
	if err := Labels(&buf, labels); err != nil {
		t.Fatal(err)
	}
	out := buf.Bytes()
	if !bytes.HasPrefix(out, []byte("%PDF-")) {
		t.Fatalf("not a PDF: %q", out[:min(len(out), 20)])
	}
	// 25 labels on a 21-label sheet: two pages.
	if n := pageCount(out); n != 2 {
		t.Fatalf("%d pages, want 2", n)
	}
}

func BenchmarkLabels(b *testing.B) {
	var labels []Label
	for i := range 200 {
		labels = append(labels, Label{Name: fmt.Sprintf("Әлия Қасымова %d", i), Address: "Алматы, проспект Абая 150, кв. 12"})
	}
	for b.Loop() {
		if err := Labels(&bytes.Buffer{}, labels); err != nil {
			b.Fatal(err)
		}
	}
}

// pageCount counts page objects ("/Type /Page", not "/Type /Pages").
func pageCount(pdf []byte) int {
	return bytes.Count(pdf, []byte("/Type /Page")) - bytes.Count(pdf, []byte("/Type /Pages"))
}

func testInvoice(items int) Invoice {
	inv := Invoice{
		Title: "Счёт №12", Date: "25.11.2026", Seller: "Алия", Customer: "Әлия Қасымова", Address: "Алматы, Абая 150",
		Labels: InvoiceLabels{Date: "Дата", Seller: "Продавец", Customer: "Покупатель", Item: "Товар", Qty: "Кол-во", Price: "Цена",
			Amount: "Сумма", Subtotal: "Итого", Discount: "Скидка", Total: "К оплате", Paid: "Оплачено", Due: "Осталось"},
		Subtotal: "29 500 ₸", Discount: "2 950 ₸", Total: "26 550 ₸", Paid: "10 000 ₸", Due: "16 550 ₸", HasDiscount: true,
	}
	for i := range items {
		inv.Lines = append(inv.Lines, InvoiceLine{Name: fmt.Sprintf("Крем TimeWise 3D дневной для сухой кожи %d", i), Qty: "2", Price: "12 500 ₸", Amount: "25 000 ₸"})
	}
	return inv
}

func TestInvoice(t *testing.T) {
	for _, n := range []int{1, 10, 80} {
		var buf bytes.Buffer
		if err := WriteInvoice(&buf, testInvoice(n)); err != nil {
			t.Fatal(err)
		}
		if !bytes.HasPrefix(buf.Bytes(), []byte("%PDF-")) {
			t.Fatal("not a PDF")
		}
		if n == 80 && pageCount(buf.Bytes()) < 2 {
			t.Errorf("80 items fit on %d page", pageCount(buf.Bytes()))
		}
	}
}

// BenchmarkInvoice: target < 100 ms for a 10-item invoice.
func BenchmarkInvoice(b *testing.B) {
	inv := testInvoice(10)
	for b.Loop() {
		if err := WriteInvoice(&bytes.Buffer{}, inv); err != nil {
			b.Fatal(err)
		}
	}
}
