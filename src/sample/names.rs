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
pub(crate) const LAS: &[La] = &[
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

/// A local authority: name, postcode area, and the range of its postcode districts.
pub(crate) type La = (&'static str, &'static str, u32, u32);

/// Every English local authority with schools, for the national-scale sample (`--scale
/// national`): about 150, each filled with [`SCHOOLS_PER_LA`] invented schools in turn.
pub(crate) const ENGLAND: &[La] = &[
    ("Birmingham", "B", 1, 45),
    ("Leeds", "LS", 1, 29),
    ("Kent", "ME", 1, 20),
    ("Lancashire", "PR", 1, 26),
    ("Essex", "CM", 1, 24),
    ("Hertfordshire", "AL", 1, 10),
    ("Surrey", "GU", 1, 35),
    ("Hampshire", "SO", 20, 53),
    ("Manchester", "M", 1, 40),
    ("Bradford", "BD", 1, 24),
    ("Sheffield", "S", 1, 36),
    ("Liverpool", "L", 1, 38),
    ("Bristol, City of", "BS", 1, 16),
    ("Norfolk", "NR", 1, 35),
    ("Suffolk", "IP", 1, 33),
    ("Devon", "EX", 1, 39),
    ("Cornwall", "TR", 1, 27),
    ("Nottinghamshire", "NG", 1, 25),
    ("Nottingham", "NG", 1, 11),
    ("Derbyshire", "DE", 4, 75),
    ("Derby", "DE", 1, 24),
    ("Staffordshire", "ST", 1, 21),
    ("Stoke-on-Trent", "ST", 1, 6),
    ("Leicestershire", "LE", 7, 67),
    ("Leicester", "LE", 1, 5),
    ("Lincolnshire", "LN", 1, 13),
    ("North Yorkshire", "YO", 7, 62),
    ("York", "YO", 1, 32),
    ("Cumberland", "CA", 1, 28),
    ("Westmorland and Furness", "LA", 7, 23),
    ("Northumberland", "NE", 22, 71),
    ("Newcastle upon Tyne", "NE", 1, 15),
    ("Gateshead", "NE", 8, 40),
    ("North Tyneside", "NE", 12, 30),
    ("South Tyneside", "NE", 31, 36),
    ("Sunderland", "SR", 1, 7),
    ("County Durham", "DH", 1, 9),
    ("Darlington", "DL", 1, 3),
    ("Hartlepool", "TS", 24, 27),
    ("Middlesbrough", "TS", 1, 8),
    ("Redcar and Cleveland", "TS", 10, 14),
    ("Stockton-on-Tees", "TS", 16, 21),
    ("Wakefield", "WF", 1, 10),
    ("Kirklees", "HD", 1, 9),
    ("Calderdale", "HX", 1, 7),
    ("Barnsley", "S", 70, 75),
    ("Doncaster", "DN", 1, 12),
    ("Rotherham", "S", 60, 66),
    ("Kingston upon Hull, City of", "HU", 1, 9),
    ("East Riding of Yorkshire", "HU", 10, 20),
    ("North Lincolnshire", "DN", 15, 20),
    ("North East Lincolnshire", "DN", 31, 41),
    ("Wigan", "WN", 1, 7),
    ("Bolton", "BL", 1, 7),
    ("Bury", "BL", 8, 9),
    ("Oldham", "OL", 1, 9),
    ("Rochdale", "OL", 10, 16),
    ("Salford", "M", 5, 30),
    ("Stockport", "SK", 1, 8),
    ("Tameside", "OL", 5, 7),
    ("Trafford", "M", 31, 41),
    ("Knowsley", "L", 26, 36),
    ("St. Helens", "WA", 9, 11),
    ("Sefton", "L", 20, 37),
    ("Wirral", "CH", 41, 64),
    ("Blackburn with Darwen", "BB", 1, 3),
    ("Blackpool", "FY", 1, 5),
    ("Cheshire East", "CW", 1, 12),
    ("Cheshire West and Chester", "CH", 1, 66),
    ("Halton", "WA", 7, 8),
    ("Warrington", "WA", 1, 5),
    ("Shropshire", "SY", 1, 15),
    ("Telford and Wrekin", "TF", 1, 11),
    ("Herefordshire", "HR", 1, 9),
    ("Worcestershire", "WR", 1, 15),
    ("Warwickshire", "CV", 8, 37),
    ("Coventry", "CV", 1, 7),
    ("Solihull", "B", 90, 94),
    ("Dudley", "DY", 1, 9),
    ("Sandwell", "B", 64, 71),
    ("Walsall", "WS", 1, 10),
    ("Wolverhampton", "WV", 1, 14),
    ("North Northamptonshire", "NN", 8, 18),
    ("West Northamptonshire", "NN", 1, 7),
    ("Rutland", "LE", 15, 15),
    ("Cambridgeshire", "CB", 1, 25),
    ("Peterborough", "PE", 1, 8),
    ("Bedford", "MK", 40, 45),
    ("Central Bedfordshire", "LU", 5, 7),
    ("Luton", "LU", 1, 4),
    ("Milton Keynes", "MK", 1, 19),
    ("Buckinghamshire", "HP", 5, 27),
    ("Oxfordshire", "OX", 1, 44),
    ("Reading", "RG", 1, 6),
    ("West Berkshire", "RG", 7, 20),
    ("Wokingham", "RG", 40, 41),
    ("Bracknell Forest", "RG", 12, 42),
    ("Windsor and Maidenhead", "SL", 4, 6),
    ("Slough", "SL", 1, 3),
    ("Southend-on-Sea", "SS", 0, 9),
    ("Thurrock", "RM", 15, 20),
    ("Medway", "ME", 1, 8),
    ("East Sussex", "TN", 19, 40),
    ("Brighton and Hove", "BN", 1, 3),
    ("West Sussex", "RH", 10, 20),
    ("Isle of Wight", "PO", 30, 41),
    ("Portsmouth", "PO", 1, 6),
    ("Southampton", "SO", 14, 19),
    ("Bournemouth, Christchurch and Poole", "BH", 1, 23),
    ("Dorset", "DT", 1, 11),
    ("Wiltshire", "SN", 8, 16),
    ("Swindon", "SN", 1, 6),
    ("Somerset", "TA", 1, 24),
    ("North Somerset", "BS", 20, 49),
    ("Bath and North East Somerset", "BA", 1, 3),
    ("South Gloucestershire", "BS", 30, 37),
    ("Gloucestershire", "GL", 1, 20),
    ("Plymouth", "PL", 1, 7),
    ("Torbay", "TQ", 1, 5),
    ("Camden", "NW", 1, 8),
    ("Greenwich", "SE", 2, 18),
    ("Hackney", "E", 2, 9),
    ("Hammersmith and Fulham", "W", 6, 14),
    ("Islington", "N", 1, 19),
    ("Kensington and Chelsea", "SW", 3, 10),
    ("Lambeth", "SW", 2, 9),
    ("Lewisham", "SE", 4, 26),
    ("Southwark", "SE", 1, 22),
    ("Tower Hamlets", "E", 1, 14),
    ("Wandsworth", "SW", 11, 18),
    ("Westminster", "W", 1, 11),
    ("Barking and Dagenham", "RM", 6, 10),
    ("Barnet", "EN", 4, 5),
    ("Bexley", "DA", 5, 16),
    ("Brent", "NW", 2, 10),
    ("Bromley", "BR", 1, 8),
    ("Croydon", "CR", 0, 9),
    ("Ealing", "W", 3, 13),
    ("Enfield", "EN", 1, 3),
    ("Haringey", "N", 4, 22),
    ("Harrow", "HA", 1, 7),
    ("Havering", "RM", 1, 14),
    ("Hillingdon", "UB", 3, 10),
    ("Hounslow", "TW", 3, 14),
    ("Kingston upon Thames", "KT", 1, 9),
    ("Merton", "SW", 19, 20),
    ("Newham", "E", 6, 16),
    ("Redbridge", "IG", 1, 8),
    ("Richmond upon Thames", "TW", 1, 12),
    ("Sutton", "SM", 1, 6),
    ("Waltham Forest", "E", 4, 17),
];

/// A postcode in the area of authority `la` of `las` (wrapping round the list): "PL5 3QR".
pub(crate) fn postcode(d: &mut Dice, las: &[La], la: usize) -> String {
    const INWARD: &[u8] = b"ABDEFGHJLNPQRSTUWXYZ";
    let (_, area, lo, hi) = las[la % las.len()];
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
