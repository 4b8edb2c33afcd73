/** Word lists for made-up but plausible names; a few carry apostrophes, quotes and non-ASCII letters. */
export const FIRST_NAMES = [
  'Lily', 'Kate', 'Chloe', 'Tegan', 'Jacob', 'Matthew', 'Layla', 'Aleena', 'Mohammad', 'Jacqueline', 'Walter', 'Kaylee',
  'Ryan', 'Sara', 'Noah', 'Emma', 'Liam', 'Olivia', 'Mason', 'Ava', 'Ethan', 'Sophia', 'Lucas', 'Mia', 'Logan', 'Isabella',
  'José', 'Zoë', 'Björn', 'Chloé', 'Søren', 'Renée', 'Anaïs', 'Łukasz', 'Siobhán', 'Nuño', 'Amélie', 'Jürgen',
];
export const LAST_NAMES = [
  'Koch', 'Harrell', 'Cuevas', 'Levine', 'Klein', 'Jones', 'Griffin', 'Kirby', 'Rodriguez', 'Lynch', 'Frye', 'Summers',
  'Smith', 'Johnson', 'Williams', 'Brown', 'Garcia', 'Miller', 'Davis', 'Martinez', 'Lopez', 'Wilson', 'Anderson', 'Taylor',
  "O'Brien", "D'Angelo", "O'Neil", 'Müller', 'Peña', 'Ødegaard', 'Núñez', 'Šimek',
];
export const LOCATIONS = [
  'San Francisco-Oakland-Hayward, CA', 'Portland-South Portland, ME', 'Lansing-East Lansing, MI', 'Chicago-Naperville-Elgin, IL-IN-WI',
  'Atlanta-Sandy Springs-Roswell, GA', 'Waterloo-Cedar Falls, IA', 'Lake Havasu City-Kingman, AZ', 'Tampa-St. Petersburg-Clearwater, FL',
  'San Jose-Sunnyvale-Santa Clara, CA', 'Sacramento--Roseville--Arden-Arcade, CA', 'New York-Newark-Jersey City, NY-NJ-PA',
  'Los Angeles-Long Beach-Anaheim, CA', 'Houston-The Woodlands-Sugar Land, TX', 'Phoenix-Mesa-Scottsdale, AZ', 'Seattle-Tacoma-Bellevue, WA',
  'Boston-Cambridge-Newton, MA-NH', 'Miami-Fort Lauderdale-West Palm Beach, FL', 'Denver-Aurora-Lakewood, CO', "Coeur d'Alene, ID",
];
export const USER_AGENTS = [
  '"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_9_4) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/36.0.1985.143 Safari/537.36"',
  '"Mozilla/5.0 (Windows NT 6.1; WOW64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/35.0.1916.153 Safari/537.36"',
  '"Mozilla/5.0 (iPhone; CPU iPhone OS 7_1_2 like Mac OS X) AppleWebKit/537.51.2 (KHTML, like Gecko) Version/7.0 Mobile/11D257 Safari/9537.53"',
  '"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Ubuntu Chromium/36.0.1985.125 Chrome/36.0.1985.125 Safari/537.36"',
  '"Mozilla/5.0 (Windows NT 6.3; WOW64; rv:31.0) Gecko/20100101 Firefox/31.0"',
  '"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_9_4) AppleWebKit/537.77.4 (KHTML, like Gecko) Version/7.0.5 Safari/537.77.4"',
  'Mozilla/5.0 (compatible; MSIE 10.0; Windows NT 6.1; WOW64; Trident/6.0)',
  '"Mozilla/5.0 (Linux; Android 4.4.2; SM-G900F) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/36.0.1985.131 Mobile Safari/537.36"',
];
export const TITLE_WORDS = [
  'Love', 'Night', 'Heart', 'Fire', 'Rain', 'Dream', 'City', 'Road', 'Summer', 'Blue', 'Gold', 'Echo', 'River', 'Ghost', 'Light',
  'Shadow', 'Storm', 'Morning', 'Dance', 'Wild', 'Silver', 'Moon', 'Ocean', 'Stone', 'Velvet', 'Paper', 'Electric', 'Broken',
  'Café', 'Niño', 'Señorita', 'Über', 'Noël', "Ridin'", "Rock 'n' Roll", '"Live"', 'Déjà Vu', 'Mañana',
];
export const ARTIST_WORDS = [
  'The', 'Black', 'Velvet', 'Arcade', 'Echo', 'Kings', 'Sisters', 'Parade', 'Lights', 'Machine', 'Union', 'Society', 'Orchestra',
  'Sigur', 'Mötley', 'Beyoncé', 'Björk', "Guns N' Roses", 'Sinéad', 'Röyksopp', 'Motörhead', 'Hüsker', 'Café Tacvba',
];
export const ARTIST_PLACES = [
  'New York, NY', 'London, England', 'Los Angeles, CA', 'Reykjavík, Iceland', 'Detroit, MI', 'Kingston, Jamaica', 'Paris, France',
  'Berlin, Germany', 'Nashville, TN', 'São Paulo, Brazil', 'Montréal, Québec', 'Seattle, WA', 'Chicago, IL', 'Atlanta, GA',
];
