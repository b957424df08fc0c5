package mongo

// Every query the MongoDB store issues and the index that serves it.
// Equality keys come first in each index, then the range or sort key, so
// the server reads only index entries it returns (tie-breakers past the
// index are marked). Every query carries owner (the shard key, see the
// README's "Scaling out") except the cross-tenant scans marked "all
// owners" (MembershipsOf is one: a customer's own view across her
// consultants), which are scatter-gather on a sharded cluster by nature
// and each read from an index of their own. TestQueriesHaveIndexes checks
// this table against the indexes Open creates, and runs explain where the
// server can show index use.
//
//	collection   method(s)                         filter (= equality, < range)                      sort                          index
//	consultants  Get/UpdateConsultant              =_id =owner                                       -                             _id
//	consultants  DigestsDue (all owners)           <next_digest, owner cursor                        next_digest, owner            {next_digest, owner}
//	consultants  ListConsultants (all owners)      <owner                                            owner                         {owner}
//	updates      UpdateHandled, ClaimUpdate        =_id                                              -                             _id
//	updates      PruneUpdates (all owners)         <expires                                          -                             {expires}
//	inbox        NextUpdate (a chat's oldest)      =chat_id =pending                                 _id                           {chat_id, pending, _id}
//	chat_leases  NextUpdate, ReleaseChat           =_id (conditional upsert)                         -                             _id
//	chat_leases  PruneLeases (all chats)           <expires                                          -                             {expires}
//	forms        Get/Put/DeleteForm                =_id =owner                                       -                             _id; unique {owner, chat_id}
//	drafts       Get/Put/DeleteDraft               =_id =owner                                       -                             _id
//	drafts       PruneDrafts (all owners)          <expires                                          -                             {expires}
//	drafts       DraftsOfKind (all owners)         =kind <owner, _id cursor (+ unindexed expires)    owner, _id                    {kind, owner, _id}
//	drafts       SwapDraft                         =_id =owner =kind                                 -                             _id
//	customers    Get/UpdateCustomer, totals        =_id =owner                                       -                             _id
//	customers    ListCustomers by name             =owner =archived (+ unindexed terms)              sort_key, id                  {owner, archived, sort_key, id}
//	customers    ListCustomers ranked (each tier)  =owner =archived (+ unindexed terms, name_key)    sort_key, id                  {owner, archived, sort_key, id}
//	customers    ListCustomers by last order       =owner =archived                                  -last_order_at, sort_key, id  {owner, archived, -last_order_at, sort_key, id}
//	customers    ListCustomers birthdays           =owner =archived <bday                            (sort in memory)              {owner, archived, bday}
//	customers    FindDuplicates ($or branches)     =owner =phone | =email | =sort_name               (≤ 20 rows)                   {owner, phone}, {owner, email}, {owner, sort_name}
//	customers    DeleteCustomer merged cards       =owner =merged =doc.mergedinto($in)               -                             {owner, merged, doc.mergedinto}
//	customers    SalesReport new customers         =owner =merged <created_at                        -                             {owner, merged, created_at}
//	customers    RepairTotals                      =owner                                            -                             {owner, archived, sort_key, id} (prefix)
//	events       ListEvents, MoveEvents, erasure   =owner =customer_id                               -at, -n                       {owner, customer_id, -at, -n}
//	products     ListProducts                      =owner =archived (+ search terms)                 sort_key, id                  {owner, archived, sort_key, id}
//	products     GetProductBySKU                   =owner =sku_key                                   -                             unique {owner, sku_key}
//	orders       Get/UpdateOrder                   =_id =owner                                       -                             _id
//	orders       ListOrders, SalesReport match     =owner =archived <created_at                      -created_at, -number          {owner, archived, -created_at, -number}
//	orders       ListOrders of a customer, totals  =owner =customer_id                               -created_at, -number          {owner, customer_id, -created_at, -number}
//	orders       MonthlySales                      =owner <month                                     -                             {owner, month}
//	orders       NextOrderNumber's uniqueness      =owner =number                                    -                             unique {owner, number}
//	counters     NextOrderNumber                   =_id =owner                                       -                             _id
//	reminders    Get/UpdateReminder, claims, push  =_id =owner                                       -                             _id
//	reminders    ClaimDue, DueReminders (all)      <due_key (null while held/pushed/done)            due_key, owner, id            {due_key, owner, id}
//	reminders    ListReminders by status, Hold     =owner =status <due                               due, id                       {owner, status, due, id}
//	reminders    ListReminders of a customer       =owner =customer_id <due                          due, id                       {owner, customer_id, due, id}
//	reminders    ListReminders of an order         =owner =order_id                                  (≤ 3 rows)                    {owner, order_id}
//	reminders    SalesReport follow-ups            =owner =kind <due                                 -                             {owner, kind, due}
//	erased       erasure tombstones                =_id =owner                                       -                             _id
//	invites      Invite, RotateInvite's insert     =_id                                              -                             _id
//	invites      CurrentInvite, RotateInvite       =owner =live                                      -created_at                   {owner, live, -created_at}
//	members      Get/Update/DeleteMember           =_id =owner                                       -                             _id
//	members      MemberByCustomer, erasure, move   =owner =customer_key                              -                             unique {owner, customer_key}
//	members      ListMembers                       =owner <user_id                                   user_id                       {owner, user_id}
//	members      MembershipsOf (all owners)        =user_id                                          joined_at, owner              {user_id, joined_at}
//	roles        Get/Put/DeleteRole, erasure       =_id                                              -                             _id
//	mailings     Get/Update/CreateMailing          =_id =owner                                       -                             _id
//	mailings     SendingMailings (all owners)      =status                                           created_at, owner, id         {status, created_at, owner, id}
//	mailing_rec. Claim, Count, List by state       =owner =mailing =state                            user_id                       {owner, mailing, state, user_id}
//	mailing_rec. ListRecipients (any state)        =owner =mailing <user_id                          user_id                       {owner, mailing, user_id}
//	mailing_rec. FinishRecipient                   =_id =owner =state                                -                             _id
//
// ListReminders with no status, customer or order (owner alone) uses the
// owner prefix of {owner, status, due, id} and sorts in memory; the chat
// never asks for it on a big book.

// query is one row of the table above that names a secondary index, for
// the test: eq are the equality keys, then next is the range or sort key
// sequence the index continues with.
type query struct {
	collection, what string
	eq, next         []string
	index            []string // the index's keys; "-k" descending
}

var queries = []query{
	{"consultants", "DigestsDue", nil, []string{"next_digest", "owner"}, []string{"next_digest", "owner"}},
	{"consultants", "ListConsultants", nil, []string{"owner"}, []string{"owner"}},
	{"updates", "PruneUpdates", nil, []string{"expires"}, []string{"expires"}},
	{"inbox", "NextUpdate", []string{"chat_id", "pending"}, []string{"_id"}, []string{"chat_id", "pending", "_id"}},
	{"chat_leases", "PruneLeases", nil, []string{"expires"}, []string{"expires"}},
	{"drafts", "PruneDrafts", nil, []string{"expires"}, []string{"expires"}},
	{"drafts", "DraftsOfKind", []string{"kind"}, []string{"owner", "_id"}, []string{"kind", "owner", "_id"}},
	{"forms", "form of a chat", []string{"owner", "chat_id"}, nil, []string{"owner", "chat_id"}},
	{"customers", "ListCustomers by name", []string{"owner", "archived"}, []string{"sort_key", "id"}, []string{"owner", "archived", "sort_key", "id"}},
	{"customers", "ListCustomers by last order", []string{"owner", "archived"}, []string{"-last_order_at", "sort_key", "id"}, []string{"owner", "archived", "-last_order_at", "sort_key", "id"}},
	{"customers", "ListCustomers birthdays", []string{"owner", "archived"}, []string{"bday"}, []string{"owner", "archived", "bday"}},
	{"customers", "FindDuplicates phone", []string{"owner", "phone"}, nil, []string{"owner", "phone"}},
	{"customers", "FindDuplicates email", []string{"owner", "email"}, nil, []string{"owner", "email"}},
	{"customers", "FindDuplicates name", []string{"owner", "sort_name"}, nil, []string{"owner", "sort_name"}},
	{"customers", "merged cards", []string{"owner", "merged", "doc.mergedinto"}, nil, []string{"owner", "merged", "doc.mergedinto"}},
	{"customers", "new customers", []string{"owner", "merged"}, []string{"created_at"}, []string{"owner", "merged", "created_at"}},
	{"events", "ListEvents", []string{"owner", "customer_id"}, []string{"-at", "-n"}, []string{"owner", "customer_id", "-at", "-n"}},
	{"products", "ListProducts", []string{"owner", "archived"}, []string{"sort_key", "id"}, []string{"owner", "archived", "sort_key", "id"}},
	{"products", "GetProductBySKU", []string{"owner", "sku_key"}, nil, []string{"owner", "sku_key"}},
	{"orders", "ListOrders", []string{"owner", "archived"}, []string{"-created_at", "-number"}, []string{"owner", "archived", "-created_at", "-number"}},
	{"orders", "orders of a customer", []string{"owner", "customer_id"}, []string{"-created_at", "-number"}, []string{"owner", "customer_id", "-created_at", "-number"}},
	{"orders", "MonthlySales", []string{"owner"}, []string{"month"}, []string{"owner", "month"}},
	{"orders", "order numbers", []string{"owner", "number"}, nil, []string{"owner", "number"}},
	{"reminders", "ClaimDue, DueReminders", nil, []string{"due_key", "owner", "id"}, []string{"due_key", "owner", "id"}},
	{"reminders", "ListReminders by status", []string{"owner", "status"}, []string{"due", "id"}, []string{"owner", "status", "due", "id"}},
	{"reminders", "ListReminders of a customer", []string{"owner", "customer_id"}, []string{"due", "id"}, []string{"owner", "customer_id", "due", "id"}},
	{"reminders", "ListReminders of an order", []string{"owner", "order_id"}, nil, []string{"owner", "order_id"}},
	{"invites", "CurrentInvite", []string{"owner", "live"}, []string{"-created_at"}, []string{"owner", "live", "-created_at"}},
	{"members", "MemberByCustomer", []string{"owner", "customer_key"}, nil, []string{"owner", "customer_key"}},
	{"members", "ListMembers", []string{"owner"}, []string{"user_id"}, []string{"owner", "user_id"}},
	{"members", "MembershipsOf", []string{"user_id"}, []string{"joined_at"}, []string{"user_id", "joined_at"}},
	{"mailings", "SendingMailings", []string{"status"}, []string{"created_at", "owner", "id"}, []string{"status", "created_at", "owner", "id"}},
	{"mailing_recipients", "ClaimRecipient", []string{"owner", "mailing", "state"}, []string{"user_id"}, []string{"owner", "mailing", "state", "user_id"}},
	{"mailing_recipients", "ListRecipients", []string{"owner", "mailing"}, []string{"user_id"}, []string{"owner", "mailing", "user_id"}},
	{"reminders", "follow-ups in a report", []string{"owner", "kind"}, []string{"due"}, []string{"owner", "kind", "due"}},
}
