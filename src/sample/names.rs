//! Word lists for invented people, places, trusts and local authorities.
//!
//! Place names are invented compounds ("Hazelcombe", "Fernleigh"), so no generated school is a
//! real one, even though the local authorities and postcode areas are real. Phone numbers come
//! from Ofcom's range reserved for drama (07700 900000–900999), so none reaches a real person.

use super::dice::Dice;

/// First names; the first [`FEMALE`] are women's names (for the title on a headteacher).
const FIRST: &[&str] = &[
    "Sarah",
    "Claire",
    "Emma",
    "Rachel",
    "Helen",
    "Joanne",
    "Nicola",
    "Karen",
    "Louise",
    "Kate",
    "Amy",
    "Lucy",
    "Hannah",
    "Rebecca",
    "Laura",
    "Gemma",
    "Victoria",
    "Catherine",
    "Fiona",
    "Alison",
    "Jenny",
    "Megan",
    "Priya",
    "Aisha",
    "Yasmin",
    "Sophie",
    "Charlotte",
    "Natalie",
    "Anna",
    "Ruth",
    "Zoe",
    "Beth",
    "Deborah",
    "Julie",
    "Tracey",
    "Lisa",
    "Sian",
    "Kerry",
    "Abi",
    "Harriet",
    "David",
    "James",
    "Mark",
    "Paul",
    "Andrew",
    "Richard",
    "Simon",
    "Matthew",
    "Daniel",
    "Stephen",
    "Chris",
    "Tom",
    "Ben",
    "Rob",
    "Gareth",
    "Neil",
    "Ian",
    "Adam",
    "Jon",
    "Michael",
    "Peter",
    "Sam",
    "Luke",
    "Owen",
    "Rhys",
    "Imran",
    "Tariq",
    "Kwame",
    "Marcus",
    "Alex",
    "Jamie",
    "Craig",
    "Dominic",
    "Nathan",
    "Martin",
    "Gavin",
    "Steve",
    "Phil",
    "Joe",
    "Will",
];
const FEMALE: usize = 40;

const SURNAMES: &[&str] = &[
    "Hooper",
    "Penrose",
    "Trelawny",
    "Couch",
    "Pascoe",
    "Rowe",
    "Nancarrow",
    "Tremayne",
    "Kitto",
    "Jago",
    "Smith",
    "Jones",
    "Taylor",
    "Brown",
    "Williams",
    "Wilson",
    "Johnson",
    "Davies",
    "Robinson",
    "Wright",
    "Thompson",
    "Evans",
    "Walker",
    "White",
    "Roberts",
    "Green",
    "Hall",
    "Wood",
    "Jackson",
    "Clarke",
    "Patel",
    "Khan",
    "Lewis",
    "Phillips",
    "Mason",
    "Mitchell",
    "Rose",
    "Hughes",
    "Edwards",
    "Turner",
    "Harris",
    "Martin",
    "Cooper",
    "Hill",
    "Ward",
    "Morris",
    "Moore",
    "Lee",
    "King",
    "Baker",
    "Harrison",
    "Morgan",
    "Allen",
    "Young",
    "Scott",
    "Bennett",
    "Carter",
    "Collins",
    "Parker",
    "Price",
    "Bailey",
    "Bell",
    "Marshall",
    "Kelly",
    "Simpson",
    "Murray",
    "Hunt",
    "Dixon",
    "Mills",
    "Palmer",
    "Holmes",
    "Fletcher",
    "Knight",
    "Barnes",
    "Webb",
    "Lloyd",
    "Reid",
    "Ahmed",
    "Begum",
    "Okafor",
    "Mensah",
    "Kowalski",
    "Nowak",
    "Chen",
    "Singh",
    "O'Brien",
    "Doyle",
    "Kennedy",
    "Sutherland",
    "Gill",
    "Foster",
    "Pearce",
    "Stephens",
    "Vosper",
    "Hext",
    "Northcott",
    "Symons",
    "Blatchford",
    "Kneebone",
    "Retallick",
];

/// An invented person.
#[derive(Debug, Clone)]
pub(crate) struct Person {
    /// First name.
    pub first: &'static str,
    /// Surname.
    pub last: &'static str,
    /// For the title.
    pub female: bool,
}

impl Person {
    /// A random person.
    pub fn random(d: &mut Dice) -> Person {
        let i = d.below(FIRST.len());
        Person { first: FIRST[i], last: d.pick(SURNAMES), female: i < FEMALE }
    }

    /// "Claire Hooper".
    pub fn name(&self) -> String {
        format!("{} {}", self.first, self.last)
    }

    /// "Mrs Claire Hooper", as GIAS lists a headteacher.
    pub fn titled(&self, d: &mut Dice) -> String {
        let title = match (self.female, d.below(10)) {
            (_, 0) => "Dr",
            (true, 1..=3) => "Ms",
            (true, _) => "Mrs",
            (false, _) => "Mr",
        };
        format!("{title} {}", self.name())
    }

    /// "c.hooper@<domain>".
    pub fn email(&self, domain: &str) -> String {
        let initial = self.first.chars().next().unwrap_or('x').to_ascii_lowercase();
        format!("{initial}.{}@{domain}", slug(self.last))
    }
}

/// Lower-case letters only: "O'Brien" → "obrien", "Hazelcombe Primary" → "hazelcombeprimary".
pub(crate) fn slug(s: &str) -> String {
    s.chars().filter(char::is_ascii_alphanumeric).map(|c| c.to_ascii_lowercase()).collect()
}

/// A mobile number in Ofcom's drama range.
pub(crate) fn phone(d: &mut Dice) -> String {
    format!("07700 900{:03}", d.below(1000))
}

const PLACE_START: &[&str] = &[
    "Ash", "Beacon", "Bramble", "Brook", "Cadle", "Chapel", "Coombe", "Elm", "Fern", "Fox", "Gold", "Hazel", "Heather",
    "Holly", "Lark", "Linden", "Maple", "Moor", "Oak", "Pen", "Quarry", "Raven", "Rowan", "Sand", "Shell", "Stone",
    "Thorn", "Wester", "Willow", "Wren", "Kestrel", "Salt", "Harbour", "Lantern", "Clover", "Heron", "Birch",
    "Bluebell", "Briar", "Castle", "Cherry", "Deer", "Eagle", "Ferry", "Flax", "Glen", "Hawk", "Ivy", "Juniper",
    "Lime", "Marsh", "Meadow", "Orchard", "Pine", "Primrose", "Quay", "Rock", "Silver", "Spring", "Tide", "Copper",
    "Mallard", "Otter", "Hart",
];
const PLACE_END: &[&str] = &[
    "bridge", "brook", "combe", "cross", "dale", "down", "field", "ford", "gate", "hill", "hurst", "lake", "leigh",
    "mead", "park", "ridge", "side", "stow", "ton", "vale", "well", "wood", "worthy",
];

/// Invented place names for one authority: every first part once (in random order) before
/// any is used again, so the names in a list do not crowd round a few beginnings.
pub(crate) fn places(d: &mut Dice) -> Vec<String> {
    let mut out = Vec::with_capacity(PLACE_START.len() * PLACE_END.len());
    let mut used = vec![vec![false; PLACE_END.len()]; PLACE_START.len()];
    for _round in 0..PLACE_END.len() {
        let mut order: Vec<usize> = (0..PLACE_START.len()).collect();
        d.shuffle(&mut order);
        for a in order {
            for _ in 0..8 {
                let b = d.below(PLACE_END.len());
                let (start, end) = (PLACE_START[a], PLACE_END[b]);
                // "Brookbrook", "Hollyleigh"… skip a doubled letter at the join.
                let clash = start.chars().last().map(|c| c.to_ascii_lowercase()) == end.chars().next()
                    || end.starts_with(&start.to_lowercase());
                if !used[a][b] && !clash {
                    used[a][b] = true;
                    out.push(format!("{start}{end}"));
                    break;
                }
            }
        }
    }
    out
}

/// A made-up web domain for a school: "hazelcombe.plymouth.sch.uk".
pub(crate) fn domain(school_name: &str, la_name: &str) -> String {
    const DROP: &[&str] = &[
        "School",
        "Primary",
        "Academy",
        "Catholic",
        "Church",
        "of",
        "England",
        "Community",
        "High",
        "College",
        "Junior",
        "Infant",
        "Free",
        "Sixth",
        "Form",
        "Nursery",
        "Learning",
        "Centre",
        "The",
    ];
    let core: String = school_name.split_whitespace().filter(|w| !DROP.contains(w)).collect();
    let la = la_name.split(',').next().unwrap_or(la_name);
    format!("{}.{}.sch.uk", slug(&core), slug(la))
}

/// Hands out invented people, avoiding repeats while the name lists allow.
#[derive(Debug, Default)]
pub(crate) struct People {
    used: std::collections::BTreeSet<String>,
}

impl People {
    /// A person not handed out before (after 20 tries, possibly a repeat).
    pub fn next(&mut self, d: &mut Dice) -> Person {
        let mut p = Person::random(d);
        for _ in 0..20 {
            if !self.used.contains(&p.name()) {
                break;
            }
            p = Person::random(d);
        }
        self.used.insert(p.name());
        p
    }
}

/// Saints for faith schools (a few that English schools are seldom named after).
pub(crate) const SAINTS: &[&str] = &[
    "Nectan", "Clether", "Winnow", "Kea", "Keyne", "Rumon", "Erth", "Gerrans", "Breward", "Levan", "Mabyn", "Enodoc",
    "Germoe", "Wenna", "Tudy", "Issey", "Neot", "Minver", "Teath", "Cleer",
];

/// The dozen multi-academy trusts of the first authority; the last two are the faith trusts.
pub(crate) const TRUSTS: &[&str] = &[
    "Breakwater Learning Trust",
    "Estuary Schools Partnership",
    "Harbourlight Academy Trust",
    "Granite Way Academies",
    "Lighthouse Education Trust",
    "Headland Multi-Academy Trust",
    "Three Tides Learning Partnership",
    "Sunrise Coast Academies",
    "Westmoor Education Trust",
    "Quayside Learning Trust",
    "Coastline Catholic Academy Trust",
    "Saints Together CofE Academy Trust",
];

/// Local authorities and their postcode districts, in the order schools fill them (the
/// default sample is all in the first).
pub(crate) const LAS: &[(&str, &str, u32, u32)] = &[
    ("Plymouth", "PL", 1, 7),
    ("Torbay", "TQ", 1, 5),
    ("Devon", "EX", 1, 39),
    ("Cornwall", "TR", 1, 27),
    ("Somerset", "TA", 1, 24),
    ("Bristol, City of", "BS", 1, 16),
    ("North Somerset", "BS", 20, 49),
    ("Bath and North East Somerset", "BA", 1, 3),
    ("Dorset", "DT", 1, 11),
    ("Wiltshire", "SN", 8, 16),
    ("Gloucestershire", "GL", 1, 20),
    ("Swindon", "SN", 1, 6),
];

/// How many schools go in one local authority before the next is started.
pub(crate) const SCHOOLS_PER_LA: usize = 150;

/// A postcode in the authority's area: "PL5 3QR".
pub(crate) fn postcode(d: &mut Dice, la: usize) -> String {
    const INWARD: &[u8] = b"ABDEFGHJLNPQRSTUWXYZ";
    let (_, area, lo, hi) = LAS[la % LAS.len()];
    let district = d.range(i64::from(lo), i64::from(hi));
    let a = char::from(d.pick(INWARD));
    let b = char::from(d.pick(INWARD));
    format!("{area}{district} {}{a}{b}", d.range(1, 9))
}

/// The trusts of authority `la`: the curated dozen for the first, invented ones after.
pub(crate) fn trusts_for(la: usize, places: &[String]) -> Vec<String> {
    if la == 0 {
        return TRUSTS.iter().map(|t| t.to_string()).collect();
    }
    const KINDS: &[&str] = &["Learning Trust", "Academy Trust", "Schools Partnership", "Education Trust"];
    let mut out: Vec<String> = (0..10)
        .map(|i| {
            let place = places.get(places.len().saturating_sub(1 + i)).map_or("Vale", |p| p);
            format!("{place} {}", KINDS[i % KINDS.len()])
        })
        .collect();
    out.push(TRUSTS[10].to_string());
    out.push(TRUSTS[11].to_string());
    out
}
