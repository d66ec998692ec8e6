# Seeds a real RT 5 (shared/rt5/start-rt5.sh) up to N tickets in queue "Bench"
# for the RT poll benchmark (docs/connectors.md): only the tickets missing
# are created, so running it again is harmless. Run as the RT user:
#   setpriv --reuid=www-data --regid=www-data --init-groups -- perl tests/rt5/seed-tickets.pl 10000
# Three in four tickets get an owner and a reply, half of those are resolved;
# 500 customers write in again and again. Scrips (notifications) are off
# while seeding and switched back on at the end.
use strict; use warnings;
use lib '/usr/share/request-tracker5/lib';
use RT; RT::LoadConfig(); RT::Init();
my $n = shift || 10000;
my $queue = RT::Queue->new(RT->SystemUser);
unless ($queue->Load('Bench')) {
    my ($ok, $msg) = $queue->Create(Name => 'Bench', Description => 'Benchmark tickets', SLADisabled => 0);
    die "queue: $msg" unless $ok;
}
my $priv = RT::Group->new(RT->SystemUser); $priv->LoadSystemInternalGroup('Privileged');
for my $right (qw(SeeQueue ShowTicket CreateTicket ModifyTicket OwnTicket TakeTicket ReplyToTicket CommentOnTicket ShowTicketComments)) {
    $priv->PrincipalObj->GrantRight(Right => $right, Object => $queue);
}
my $agent = RT::User->new(RT->SystemUser); $agent->Load('agent1') or die "no agent1";
my $as_agent = RT::CurrentUser->new($agent);
my @scrips;
my $scrips = RT::Scrips->new(RT->SystemUser); $scrips->LimitToEnabled;
while (my $s = $scrips->Next) { push @scrips, $s->id; $s->SetDisabled(1); }
END {
    for my $id (@scrips) { my $s = RT::Scrip->new(RT->SystemUser); $s->Load($id); $s->SetDisabled(0); }
}
my $have = RT::Tickets->new(RT->SystemUser);
$have->FromSQL("Queue = 'Bench'");
my $first = $have->Count + 1;
if ($first > $n) { print "queue Bench already holds ", $first - 1, " tickets\n"; exit 0; }
my $t0 = time;
# One database transaction per 500 tickets: SQLite's per-commit sync dominates otherwise.
$RT::Handle->BeginTransaction;
for my $i ($first .. $n) {
    my $t = RT::Ticket->new(RT->SystemUser);
    my ($id, undef, $msg) = $t->Create(
        Queue => 'Bench', Subject => "Bench ticket $i", Requestor => ["bench" . ($i % 500) . "\@test.local"],
        SLA => 'standard', Priority => $i % 100,
    );
    die "ticket $i: $msg" unless $id;
    if ($i % 4) {
        my $w = RT::Ticket->new($as_agent); $w->Load($id);
        $w->SetOwner('agent1');
        $w->Correspond(Content => "Reply to $i");
        $w->SetStatus('resolved') if $i % 2 == 0;
    }
    if ($i % 500 == 0) {
        $RT::Handle->Commit; $RT::Handle->BeginTransaction;
        printf STDERR "%d tickets, %.0f s\n", $i, time - $t0;
    }
}
$RT::Handle->Commit;
print "seeded tickets $first to $n in queue Bench\n";
