#!/usr/bin/env python3
"""Builds inventory.csv (a realistic hobbyist inventory with real part
numbers) and questions.txt (question || must match || must not match).

Run from this folder: python3 make_cases.py. Deterministic. The hand-written
cases are in HAND below; the value lookups after them are derived from the
inventory by this script's own arithmetic (an oracle independent of the Rust
code under test).
"""
import csv

E12 = [1.0, 1.2, 1.5, 1.8, 2.2, 2.7, 3.3, 3.9, 4.7, 5.6, 6.8, 8.2]
COLOURS = ["black", "brown", "red", "orange", "yellow", "green", "blue", "violet", "grey", "white"]


def rkm(ohms):
    """Yageo value code: 10K, 4K7, 100R, 1M, 4R7."""
    for mult, letter in ((1e6, "M"), (1e3, "K"), (1.0, "R")):
        if ohms >= mult:
            v = ohms / mult
            if abs(v - round(v)) < 1e-9:
                return f"{int(round(v))}{letter}"
            whole = int(v)
            frac = round((v - whole) * 10)
            return f"{whole}{letter}{frac}"
    return f"0R{int(round(ohms * 10))}"


def short(ohms):
    """How a person types it: 10k, 4k7, 220, 1M."""
    for mult, letter in ((1e6, "M"), (1e3, "k")):
        if ohms >= mult:
            v = ohms / mult
            if abs(v - round(v)) < 1e-9:
                return f"{int(round(v))}{letter}"
            whole = int(v)
            return f"{whole}{letter}{round((v - whole) * 10)}"
    return f"{ohms:g}"


rows = []


def add(category, reference, value="", package="", quantity=10, price="", currency="EUR", location="", shop="LCSC",
        description="", tags="", **params):
    rows.append(dict(category=category, reference=reference, value=value, package=package, quantity=quantity,
                     unit_price=price, currency=currency if price else "", location=location, shop=shop,
                     description=description, tags=tags, **params))


# Resistors, 0805 1% thick film: E12 from 10 Ω to 820 kΩ plus 1 MΩ; 33 kΩ deliberately missing.
resistor_0805 = {}
for decade in range(1, 6):
    for m in E12:
        ohms = round(m * 10 ** decade, 6)
        if abs(ohms - 33000) < 1e-6:
            continue
        ref = f"RC0805FR-07{rkm(ohms)}L"
        box = f"A{decade}"
        qty = 0 if abs(ohms - 1500) < 1e-6 else 50 + decade * 10
        add("resistor", ref, short(ohms), "0805", qty, "0.004", location=box, shop="LCSC",
            description="thick film chip resistor", tags="smd e12", tolerance="1%", power="1/8W")
        resistor_0805[ohms] = ref
add("resistor", "RC0805FR-071ML", "1M", "0805", 40, "0.004", location="A6", tags="smd", tolerance="1%", power="1/8W")
resistor_0805[1e6] = "RC0805FR-071ML"

# 0603 1%: a few common values.
resistor_0603 = {}
for ohms in [round(m * 10 ** d, 6) for d in range(1, 6) for m in E12]:
    ref = f"RC0603FR-07{rkm(ohms)}L"
    add("resistor", ref, short(ohms), "0603", 100, "0.003", location="A7", tags="smd", tolerance="1%", power="1/10W")
    resistor_0603[ohms] = ref

# 1206 5%: the E6 series.
for ohms in [round(m * 10 ** d, 6) for d in range(1, 6) for m in (1.0, 1.5, 2.2, 3.3, 4.7, 6.8)]:
    if abs(ohms - 33000) < 1e-6:
        continue
    add("resistor", f"RC1206JR-07{rkm(ohms)}L", short(ohms), "1206", 20, "0.005", location="A8", tags="smd",
        tolerance="5%", power="1/4W")

# Through-hole carbon film ¼ W 5%: E24 values, including 20k (2 × 20k ∥ = 10k).
resistor_tht = {}
for ohms in [10, 47, 100, 220, 330, 470, 680, 1000, 2000, 2200, 3300, 4700, 5100, 10000, 20000, 22000, 47000,
             51000, 100000, 330000, 1000000]:
    ref = f"CFR-25JB-52-{rkm(ohms)}"
    add("resistor", ref, short(ohms), "THT", 30, "0.02", location="B1", shop="Mouser", description="carbon film",
        tags="tht", tolerance="±5%", power="1/4W")
    resistor_tht[ohms] = ref
add("resistor", "MFR-12FRF52-10K", "10k", "THT", 8, "0.05", location="B2", shop="Mouser", description="metal film",
    tags="tht precision", tolerance="1%", power="1/2W")
add("resistor", "CFR-100JB-52-100R", "100R", "THT", 5, "0.12", location="B2", shop="Mouser", description="1 W resistor",
    tags="tht", tolerance="5%", power="1W")
add("resistor", "RC1206JR-070RL", "0R", "1206", 40, "0.003", location="A7", tags="smd jumper", power="1/4W")

# Capacitors.
caps = [
    ("CL21B104KBCNNNC", "100n", "0805", "50V", "X7R", "C1", 200),
    ("CL10B104KB8NNNC", "100n", "0603", "50V", "X7R", "C1", 150),
    ("CL21B105KAFNNNE", "1u", "0805", "25V", "X7R", "C1", 80),
    ("CL21A106KAYNNNE", "10u", "0805", "25V", "X5R", "C1", 60),
    ("CL31A226KAHNNNE", "22u", "1206", "25V", "X5R", "C1", 30),
    ("CL21B103KBANNNC", "10n", "0805", "50V", "X7R", "C1", 100),
    ("CL21B102KBANNNC", "1n", "0805", "50V", "X7R", "C1", 100),
    ("GRM1555C1H101JA01D", "100p", "0402", "50V", "C0G", "C2", 100),
    ("CL21C220JBANNNC", "22p", "0805", "50V", "C0G", "C2", 100),
    ("CL21C180JBANNNC", "18p", "0805", "50V", "C0G", "C2", 50),
    ("GRM21BR71C475KA73L", "4.7u", "0805", "16V", "X7R", "C2", 40),
    ("CL21B224KBFNNNE", "220n", "0805", "50V", "X7R", "C2", 50),
    ("CL21B474KBFNNNE", "470n", "0805", "50V", "X7R", "C2", 0),
]
for ref, v, pkg, volt, diel, box, qty in caps:
    add("capacitor", ref, v, pkg, qty, "0.01", location=box, description="MLCC", tags="smd", voltage=volt, dielectric=diel)
# 0603 C0G/X7R: a ladder of small values.
for v, code, diel in [("1p", "1R0", "C0G"), ("2.2p", "2R2", "C0G"), ("4.7p", "4R7", "C0G"), ("10p", "100", "C0G"),
                      ("15p", "150", "C0G"), ("33p", "330", "C0G"), ("47p", "470", "C0G"), ("68p", "680", "C0G"),
                      ("150p", "151", "C0G"), ("220p", "221", "C0G"), ("330p", "331", "C0G"), ("470p", "471", "C0G"),
                      ("680p", "681", "X7R"), ("1.5n", "152", "X7R"), ("2.2n", "222", "X7R"), ("3.3n", "332", "X7R"),
                      ("4.7n", "472", "X7R"), ("6.8n", "682", "X7R"), ("15n", "153", "X7R"), ("22n", "223", "X7R"),
                      ("33n", "333", "X7R"), ("47n", "473", "X7R"), ("68n", "683", "X7R")]:
    kind = "C1H" if diel == "C0G" else "71H"
    add("capacitor", f"GRM188{kind}{code}KA01D", v, "0603", 50, "0.005", location="C5", description="MLCC 0603",
        tags="smd", voltage="50V", dielectric=diel)

electrolytics = [
    ("UVR1H010MDD", "1u", "50V"), ("UVR1E100MDD", "10u", "25V"), ("UVR1V470MDD", "47u", "35V"),
    ("UVR1C470MDD", "47u", "16V"), ("UVR1A470MDD", "47u", "10V"), ("UVR1A101MDD", "100u", "10V"),
    ("EEU-FR1C101", "100u", "16V"), ("EEU-FR1E471", "470u", "25V"), ("UVR1C102MHD", "1000u", "16V"),
]
for ref, v, volt in electrolytics:
    add("capacitor", ref, v, "THT", 20, "0.08", location="C3", shop="Mouser", description="aluminium electrolytic",
        tags="tht electrolytic", voltage=volt)
add("capacitor", "R82DC3100AA60J", "100n", "THT", 25, "0.15", location="C3", shop="Mouser",
    description="film capacitor", tags="tht film", voltage="63V")

# Inductors.
for ref, v, pkg in [("SRR1260-100M", "10uH", "SMD 12x12"), ("SRR1260-220M", "22uH", "SMD 12x12"),
                    ("SRR1260-470M", "47uH", "SMD 12x12"), ("MLZ2012N100L", "10uH", "0805"),
                    ("LQH3NPN4R7MJ0L", "4.7uH", "1212"), ("RLB0914-101KL", "100uH", "THT")]:
    add("inductor", ref, v, pkg, 10, "0.3", location="C4", shop="Mouser", tags="power", current="1A")

# Semiconductors.
for ref, pkg, desc, extra in [("1N4148", "DO-35", "small signal diode", {}), ("1N4007", "DO-41", "rectifier 1A 1000V", {"current": "1A", "voltage": "1000V"}),
                              ("1N5819", "DO-41", "schottky 1A 40V", {"current": "1A", "voltage": "40V"}),
                              ("SS34", "SMA", "schottky 3A 40V", {"current": "3A", "voltage": "40V"}),
                              ("BZX55C5V1", "DO-35", "zener 5.1V", {"voltage": "5.1V"})]:
    add("diode", ref, "", pkg, 50, "0.02", location="D1", description=desc, **extra)
for ref, colour, pkg in [("L-53GD", "green", "5mm"), ("L-53ID", "red", "5mm"), ("L-53YD", "yellow", "5mm"),
                         ("L-7113QBC-D", "blue", "5mm"), ("L-934GD", "green", "3mm"), ("L-934ID", "red", "3mm"),
                         ("WS2812B", "RGB", "5050")]:
    add("led", ref, "", pkg, 25, "0.05", location="D2", description=f"{colour} LED", color=colour)
for ref, pkg, desc in [("BC547B", "TO-92", "NPN"), ("BC557B", "TO-92", "PNP"), ("2N2222A", "TO-92", "NPN"),
                       ("2N3904", "TO-92", "NPN"), ("2N3906", "TO-92", "PNP"), ("IRLZ44N", "TO-220", "N-MOSFET logic level"),
                       ("IRF540N", "TO-220", "N-MOSFET"), ("AO3400A", "SOT-23", "N-MOSFET"), ("BSS138", "SOT-23", "N-MOSFET"),
                       ("TIP120", "TO-220", "NPN darlington")]:
    add("transistor", ref, "", pkg, 20, "0.1", location="D3", description=desc)
for ref, v, pkg, box in [("LM7805CT", "5V", "TO-220", "D4"), ("LM7812CT", "12V", "TO-220", "D4"),
                         ("LD1117V33", "3V3", "TO-220", "D4"), ("AMS1117-3.3", "3.3V", "SOT-223", "D4"),
                         ("AMS1117-5.0", "5V", "SOT-223", "D4"), ("MCP1700-3302E/TO", "3.3V", "TO-92", "D4")]:
    add("regulator", ref, v, pkg, 6, "0.3", location=box, description="linear regulator")
add("regulator", "LM317T", "", "TO-220", 4, "0.4", location="D4", description="adjustable regulator")
for ref, pkg, desc in [("NE555P", "DIP-8", "timer"), ("LM358N", "DIP-8", "dual op-amp"), ("TL072CP", "DIP-8", "JFET op-amp"),
                       ("NE5532P", "DIP-8", "audio op-amp"), ("74HC595N", "DIP-16", "shift register"),
                       ("ULN2003A", "DIP-16", "darlington array"), ("L293D", "DIP-16", "motor driver"),
                       ("MAX232N", "DIP-16", "RS-232 driver"), ("CD4017BE", "DIP-16", "decade counter"),
                       ("LM386N-1", "DIP-8", "audio amplifier"), ("PCF8574P", "DIP-16", "I2C expander"),
                       ("DS1307N", "DIP-8", "real time clock"), ("24LC256-I/P", "DIP-8", "EEPROM"),
                       ("CH340G", "SOIC-16", "USB serial")]:
    add("ic", ref, "", pkg, 5, "0.5", location="E1", description=desc)
for ref, pkg in [("ATMEGA328P-PU", "DIP-28"), ("ATMEGA32U4-AU", "TQFP-44"), ("ATTINY85-20PU", "DIP-8"),
                 ("STM32F103C8T6", "LQFP-48"), ("RP2040", "QFN-56"), ("PIC16F628A-I/P", "DIP-18")]:
    add("microcontroller", ref, "", pkg, 3, "2.5", location="E2", shop="Mouser")
for ref, v in [("HC49-16.000MHZ", "16MHz"), ("HC49-8.000MHZ", "8MHz"), ("HC49-12.000MHZ", "12MHz"),
               ("ABS07-32.768KHZ-T", "32.768kHz"), ("HC49-20.000MHZ", "20MHz")]:
    add("crystal", ref, v, "HC-49", 10, "0.15", location="E3")
for cat, ref, desc, box in [("module", "ESP-01", "ESP8266 wifi module", "F1"), ("module", "HC-05", "bluetooth module", "F1"),
                            ("module", "NRF24L01", "2.4GHz radio", "F1"), ("module", "MPU-6050", "IMU breakout", "F1"),
                            ("sensor", "DHT22", "humidity and temperature", "F2"), ("sensor", "BMP280", "pressure sensor", "F2"),
                            ("sensor", "HC-SR04", "ultrasonic distance", "F2"), ("sensor", "DS18B20", "temperature probe", "F2"),
                            ("switch", "TS-1187A", "tactile push button 6x6", "F3"), ("switch", "SS12D00G3", "slide switch", "F3"),
                            ("switch", "SRD-05VDC-SL-C", "relay 5V coil", "F3"), ("switch", "KCD1-101", "rocker switch", "F3"),
                            ("connector", "PH-1x40-2.54", "pin header 40 pins", "F4"), ("connector", "B2B-XH-A", "JST XH 2 pins", "F4"),
                            ("connector", "B3B-XH-A", "JST XH 3 pins", "F4"), ("connector", "USB4105-GF-A", "USB-C receptacle", "F4"),
                            ("connector", "PJ-002A", "DC barrel jack", "F4")]:
    add(cat, ref, "", "", 8, "1.2", location=box, description=desc)
for ref, v, desc in [("RV09AF-40-20K-B10K", "10k", "linear potentiometer"), ("RV09AF-40-20K-B100K", "100k", "linear potentiometer"),
                     ("3296W-1-103LF", "10k", "multiturn trimmer"), ("3296W-1-502LF", "5k", "multiturn trimmer")]:
    add("potentiometer", ref, v, "THT", 6, "0.6", location="F5", shop="Mouser", description=desc)
add("thermistor", "MF52A103J3950", "10k", "THT", 10, "0.1", location="F5", description="NTC 10k B3950")
add("battery holder", "BH-18650-1", "", "", 4, "0.8", location="F6", description="18650 holder")

params = sorted({k for r in rows for k in r} - {"category", "reference", "value", "package", "quantity", "unit_price",
                                                 "currency", "location", "shop", "description", "tags"})
columns = ["category", "reference", "value", "package", "quantity", "unit_price", "currency", "location", "shop",
           "description", "tags"] + params
with open("inventory.csv", "w", newline="") as f:
    w = csv.DictWriter(f, fieldnames=columns)
    w.writeheader()
    for r in rows:
        w.writerow({c: r.get(c, "") for c in columns})

# --- Cases -------------------------------------------------------------------------------------------
HAND = """\
# Hand-written cases: question || references that must be listed || references that must not.
do I have a 10k resistor? || RC0805FR-0710KL, RC0603FR-0710KL, CFR-25JB-52-10K, MFR-12FRF52-10K || RC0805FR-071KL, RC0805FR-07100KL, RV09AF-40-20K-B10K, MF52A103J3950
10k || RC0805FR-0710KL, RV09AF-40-20K-B10K, 3296W-1-103LF, MF52A103J3950 || RC0805FR-071KL
10K 0805 || RC0805FR-0710KL || RC0603FR-0710KL, CFR-25JB-52-10K
10 kΩ resistor || RC0805FR-0710KL || RC0805FR-071KL
10 kohm resistors || RC0805FR-0710KL || RC0805FR-071KL
10000 ohm resistor || RC0805FR-0710KL, CFR-25JB-52-10K || RC0805FR-071KL
any 4k7 resistors? || RC0805FR-074K7L, RC0603FR-074K7L, CFR-25JB-52-4K7 || RC0805FR-0747KL, RC0805FR-07470RL
4.7k resistor || RC0805FR-074K7L || RC0805FR-0747KL
4K7 || RC0805FR-074K7L || RC0805FR-0747KL
33k resistor ||  || RC0805FR-073K3L, RC0805FR-07330KL, CFR-25JB-52-330K
33 kΩ || || RC0805FR-073K3L, RC0805FR-07330KL
1M resistor || RC0805FR-071ML, CFR-25JB-52-1M || RC0805FR-07100KL
1M5 resistor || || RC0805FR-071ML
0R resistor || RC1206JR-070RL || RC0805FR-0710RL
103 resistor || RC0805FR-0710KL, CFR-25JB-52-10K || RC0805FR-07100RL
472 resistor || RC0805FR-074K7L || RC0805FR-0747KL
4702 resistor || RC0805FR-0747KL || RC0805FR-074K7L
220 resistor || RC0805FR-07220RL, CFR-25JB-52-220R || RC0805FR-0722RL, RC0805FR-0722KL
code 221 resistor || RC0805FR-07220RL || RC0805FR-0722RL
01C resistor || RC0805FR-0710KL || RC0805FR-071KL
brown black orange || RC0805FR-0710KL, CFR-25JB-52-10K || RC0805FR-071KL
yellow violet red gold || RC0805FR-074K7L || RC0805FR-0747KL
brown black black red brown || RC0805FR-0710KL || RC0805FR-071KL
marron noir orange || RC0805FR-0710KL || RC0805FR-071KL
red red brown || RC0805FR-07220RL || RC0805FR-072K2L
résistance 4k7 || RC0805FR-074K7L || RC0805FR-0747KL
résistances de 100k || RC0805FR-07100KL || RC0805FR-0710KL
resitor 10k || RC0805FR-0710KL || RC0805FR-071KL
resistr 2k2 || RC0805FR-072K2L || RC0805FR-07220RL
1/2W resistors || MFR-12FRF52-10K, CFR-100JB-52-100R || RC0805FR-0710KL, CFR-25JB-52-10K
1/4W resistor 10k || CFR-25JB-52-10K, MFR-12FRF52-10K || RC0805FR-0710KL
resistors at least 1W || CFR-100JB-52-100R || CFR-25JB-52-100R
1% 10k resistor || RC0805FR-0710KL, MFR-12FRF52-10K || CFR-25JB-52-10K
10k resistor tht || CFR-25JB-52-10K, MFR-12FRF52-10K || RC0805FR-0710KL
10k resistor in B1 || CFR-25JB-52-10K || RC0805FR-0710KL, MFR-12FRF52-10K
resistors under 20 || RC0805FR-0710RL, RC0805FR-0712RL, RC0805FR-0718RL, RC1206JR-070RL || RC0805FR-0722RL
do I have a 100nF cap? || CL21B104KBCNNNC, CL10B104KB8NNNC, R82DC3100AA60J || CL21B103KBANNNC, CL21B224KBFNNNE
any 100nF caps rated 50V? || CL21B104KBCNNNC, CL10B104KB8NNNC, R82DC3100AA60J || CL21B103KBANNNC
100n 0805 || CL21B104KBCNNNC || CL10B104KB8NNNC
0.1uF capacitor || CL21B104KBCNNNC, R82DC3100AA60J || CL21B105KAFNNNE
0.1µF || CL21B104KBCNNNC || CL21B105KAFNNNE
100000pF || CL21B104KBCNNNC || CL21B103KBANNNC
104 cap || CL21B104KBCNNNC, CL10B104KB8NNNC || CL21B103KBANNNC
103 capacitor || CL21B103KBANNNC || CL21B104KBCNNNC
condensateur 100n || CL21B104KBCNNNC || CL21B103KBANNNC
condensateurs de 100n au moins 60V || R82DC3100AA60J || CL21B104KBCNNNC
47uF at least 16V || UVR1V470MDD, UVR1C470MDD || UVR1A470MDD
47uF caps rated 35V or more || UVR1V470MDD || UVR1C470MDD, UVR1A470MDD
47u 25V+ || UVR1V470MDD || UVR1C470MDD
47µF max 16V || UVR1C470MDD, UVR1A470MDD || UVR1V470MDD
electrolytic caps 100uF || UVR1A101MDD, EEU-FR1C101 || UVR1E100MDD
caps at least 100uF || UVR1A101MDD, EEU-FR1C101, EEU-FR1E471, UVR1C102MHD || UVR1V470MDD, CL31A226KAHNNNE
22pF || CL21C220JBANNNC || CL31A226KAHNNNE, SRR1260-220M
22p caps c0g || CL21C220JBANNNC || CL21C180JBANNNC
x7r 0805 caps 1u || CL21B105KAFNNNE || UVR1H010MDD
4µ7 capacitor || GRM21BR71C475KA73L || CL21A106KAYNNNE
10uF 25V || CL21A106KAYNNNE, UVR1E100MDD || CL31A226KAHNNNE
470nF cap || CL21B474KBFNNNE || CL21B224KBFNNNE
1000uF || UVR1C102MHD || EEU-FR1E471
22uH inductor || SRR1260-220M || SRR1260-100M, CL31A226KAHNNNE
22 µH || SRR1260-220M || CL31A226KAHNNNE
10uH coils || SRR1260-100M, MLZ2012N100L || SRR1260-220M
inductance 4.7uH || LQH3NPN4R7MJ0L || GRM21BR71C475KA73L
16MHz crystal || HC49-16.000MHZ || HC49-8.000MHZ
16mhz quartz || HC49-16.000MHZ || HC49-12.000MHZ
32.768kHz || ABS07-32.768KHZ-T || HC49-16.000MHZ
xtal 8MHz || HC49-8.000MHZ || HC49-16.000MHZ
5V regulator || LM7805CT, AMS1117-5.0 || LM7812CT, LD1117V33
3V3 regulator || LD1117V33, AMS1117-3.3, MCP1700-3302E/TO || LM7805CT
3.3V LDO || LD1117V33, AMS1117-3.3 || AMS1117-5.0
régulateur 12V || LM7812CT || LM7805CT
lm78 || LM7805CT, LM7812CT || LM317T
lm7805 || LM7805CT || LM7812CT
lm7806 || || LM7805CT
LM317 || LM317T || LM7805CT
atmega32u4 || ATMEGA32U4-AU || ATMEGA328P-PU
atmaga32u4 || ATMEGA32U4-AU || ATMEGA328P-PU
ATmega328p || ATMEGA328P-PU || ATMEGA32U4-AU
atmega || ATMEGA328P-PU, ATMEGA32U4-AU || ATTINY85-20PU
attiny85 || ATTINY85-20PU || ATMEGA328P-PU
stm32 || STM32F103C8T6 || RP2040
mcu || ATMEGA328P-PU, RP2040, STM32F103C8T6 || NE555P
microcontrollers in E2 || ATMEGA328P-PU, PIC16F628A-I/P || NE555P
µC || RP2040 || ESP-01
bc547 || BC547B || BC557B
bc557 || BC557B || BC547B
2n2222 || 2N2222A || 2N3904
mosfets || IRLZ44N, AO3400A, BSS138 || BC547B
SOT-23 mosfets || AO3400A, BSS138 || IRLZ44N
sot23 transistors || AO3400A, BSS138 || BC547B
TO-220 transistors || IRLZ44N, IRF540N, TIP120 || BC547B, LM7805CT
transistor to92 || BC547B, 2N3904 || IRLZ44N
ne555 || NE555P || LM358N
555 timer || NE555P || LM358N
lm358 || LM358N || NE555P
op amp || LM358N, TL072CP, NE5532P || NE555P
dip-8 ic || NE555P, LM358N || 74HC595N
shift register || 74HC595N || CD4017BE
74hc595 || 74HC595N || ULN2003A
1n4148 || 1N4148 || 1N4007
diodes || 1N4148, 1N4007, SS34 || L-53GD
schottky || 1N5819, SS34 || 1N4148
zener 5.1V || BZX55C5V1 || 1N4148
diode at least 2A || SS34 || 1N4007, 1N5819
green led || L-53GD, L-934GD || L-53ID, L-53YD
blue LEDs || L-7113QBC-D || L-53GD
LED verte || L-53GD, L-934GD || L-53ID
led rouge 3mm || L-934ID || L-53ID, L-934GD
5mm leds || L-53GD, L-53ID, L-7113QBC-D || L-934GD
ws2812 || WS2812B || L-53GD
rgb led || WS2812B || L-53GD
what's in drawer C2 || CL21C220JBANNNC, GRM1555C1H101JA01D || CL21B104KBCNNNC
what's in c3? || UVR1V470MDD, R82DC3100AA60J || CL21B104KBCNNNC
box D4 || LM7805CT, LM317T || NE555P
in F2 || DHT22, BMP280 || ESP-01
dans le tiroir F3 || TS-1187A, SRD-05VDC-SL-C || DHT22
sensors || DHT22, BMP280, HC-SR04, DS18B20 || ESP-01
capteur de température || DS18B20 || BMP280
temperature sensor || DS18B20, DHT22 || BMP280
relay || SRD-05VDC-SL-C || TS-1187A
push button || TS-1187A || SS12D00G3
interrupteurs || TS-1187A, SS12D00G3, KCD1-101 || DHT22
switches || TS-1187A, KCD1-101 || PH-1x40-2.54
pin header || PH-1x40-2.54 || B2B-XH-A
jst xh || B2B-XH-A, B3B-XH-A || PH-1x40-2.54
usb-c || USB4105-GF-A || PJ-002A
connectors in F4 || PJ-002A, B3B-XH-A || TS-1187A
esp-01 || ESP-01 || HC-05
bluetooth module || HC-05 || ESP-01
modules || ESP-01, NRF24L01, MPU-6050 || DHT22
10k pot || RV09AF-40-20K-B10K, 3296W-1-103LF || RC0805FR-0710KL, RV09AF-40-20K-B100K
trimmer 5k || 3296W-1-502LF || 3296W-1-103LF
potentiometers || RV09AF-40-20K-B10K, RV09AF-40-20K-B100K, 3296W-1-502LF || MF52A103J3950
ntc 10k || MF52A103J3950 || RC0805FR-0710KL
thermistor || MF52A103J3950 || RV09AF-40-20K-B10K
battery holder || BH-18650-1 || DHT22
18650 || BH-18650-1 || DHT22
#tht 10k || CFR-25JB-52-10K, MFR-12FRF52-10K || RC0805FR-0710KL
#precision || MFR-12FRF52-10K || CFR-25JB-52-10K
metal film || MFR-12FRF52-10K || CFR-25JB-52-10K
carbon film 47k || CFR-25JB-52-47K || RC0805FR-0747KL
# Typos never change values:
10kk resistor || || RC0805FR-0710KL
# BOM lines and pasted lists: units spelled out or spaced
10 kilo ohm resistor || RC0805FR-0710KL, CFR-25JB-52-10K || RC0805FR-071KL
4.7 kiloohms || RC0805FR-074K7L, RC0603FR-074K7L || RC0805FR-0747KL
100 nano farad || CL21B104KBCNNNC || GRM1555C1H101JA01D
10 micro farads electrolytic || UVR1E100MDD || CL21B104KBCNNNC
1 mega ohm || RC0805FR-071ML, CFR-25JB-52-1M || RC0805FR-07100KL
# ratings in words
10k resistor half watt || MFR-12FRF52-10K || CFR-25JB-52-10K, RC0805FR-0710KL
10k resistor quarter watt || CFR-25JB-52-10K, MFR-12FRF52-10K || RC0805FR-0710KL
10k resistor 1/8 watt || RC0805FR-0710KL, CFR-25JB-52-10K || RC0603FR-0710KL
# part numbers split, joined or spelled differently; never another digit
atmega 328p || ATMEGA328P-PU ||
lm 7805 || LM7805CT ||
NE-555 || NE555P ||
ne555p || NE555P ||
lm 7806 || || LM7805CT
ne-556 || || NE555P
# a rating or package glued to the value
10k/1% || RC0805FR-0710KL, MFR-12FRF52-10K || CFR-25JB-52-10K
100n/50V || CL21B104KBCNNNC || GRM1555C1H101JA01D
10uF_25V electrolytic || UVR1E100MDD ||
4K7_0603 || RC0603FR-074K7L || RC0805FR-074K7L
10k_0805 || RC0805FR-0710KL || RC0603FR-0710KL, CFR-25JB-52-10K
"""

lines = [HAND.rstrip("\n")]
lines.append("# Generated from the inventory by make_cases.py (its own arithmetic): every 0805 value, "
             "asked several ways, must list that part and not its ×10 and ÷10 neighbours.")
phrasings = ["do I have a {v} resistor?", "{v} res", "any {v} resistors", "résistance {v}", "{v} ohm"]
values = sorted(resistor_0805)
for i, ohms in enumerate(values):
    ref = resistor_0805[ohms]
    others = [resistor_0805[o] for o in (ohms * 10, ohms / 10) if o in resistor_0805]
    v = short(ohms)
    q = phrasings[i % len(phrasings)].format(v=v)
    if q.endswith("ohm") and any(c.isalpha() for c in v):
        q = f"{v} resistor"
    lines.append(f"{q} || {ref} || {', '.join(others)}")
    # Colour bands for two-significant-digit values from 10 Ω.
    digits = f"{ohms:.6g}"
    if ohms >= 10 and i % 3 == 0:
        significant = int(str(int(round(ohms)))[:2])
        zeros = len(str(int(round(ohms)))) - 2
        bands = f"{COLOURS[significant // 10]} {COLOURS[significant % 10]} {COLOURS[zeros]}"
        lines.append(f"{bands} || {ref} || {', '.join(others)}")
with open("questions.txt", "w") as f:
    f.write("\n".join(lines) + "\n")
print(f"{len(rows)} parts, {sum(1 for l in lines for x in l.splitlines() if x and not x.startswith('#'))} cases")
