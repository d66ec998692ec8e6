//! People's names, team names and the short texts of the floor (contact
//! notes, survey comments, feedback summaries and results), in Chinese and
//! English as a mainland floor writes them.

use std::collections::HashSet;

use super::rng::Rng;

const SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭",
    "何", "高", "林", "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹", "彭", "曾",
    "肖", "田", "董", "袁", "潘", "于", "蒋", "蔡", "余", "杜", "叶", "程", "苏", "魏", "吕", "丁",
    "任", "沈",
];

const GIVEN: &[&str] = &[
    "芳", "娜", "伟", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明",
    "超", "霞", "平", "刚", "桂英", "秀英", "丹", "萍", "鹏", "华", "玲", "斌", "宇", "浩", "凯",
    "婷", "雪", "琳", "晨", "欣", "怡", "佳", "悦", "倩", "晶", "颖", "慧", "俊", "帆", "博", "文",
    "瑶",
];

/// Second characters for two-character given names.
const GIVEN_TAIL: &[&str] = &[
    "婷", "华", "宇", "琪", "涵", "轩", "阳", "然", "欣", "杰", "燕", "丽", "鑫", "辉", "敏", "晴",
];

const ENGLISH_FIRST: &[&str] = &[
    "Emily", "Tom", "Grace", "Kevin", "Amy", "Jason", "Lily", "Eric", "Vivian", "Leo", "Cindy",
    "Frank", "Helen", "Jack", "Irene", "Peter", "Sophie", "David", "Coco", "Ryan", "Tina", "Alex",
    "Nancy", "Owen", "Wendy", "Sam", "Joyce", "Ben", "Stella", "Victor",
];

const PINYIN_SURNAMES: &[&str] = &[
    "Chen", "Li", "Wang", "Zhang", "Liu", "Yang", "Huang", "Zhao", "Wu", "Zhou", "Xu", "Sun", "Ma",
    "Zhu", "Hu", "Guo", "Lin", "Luo", "Zheng", "Liang", "Xie", "Song", "Tang", "Han", "Feng",
    "Deng",
];

fn one_name(rng: &mut Rng) -> String {
    if rng.chance(0.28) {
        let first = ENGLISH_FIRST[rng.below(ENGLISH_FIRST.len() as u64) as usize];
        let last = PINYIN_SURNAMES[rng.below(PINYIN_SURNAMES.len() as u64) as usize];
        return format!("{first} {last}");
    }
    let mut name = String::with_capacity(9);
    name.push_str(SURNAMES[rng.below(SURNAMES.len() as u64) as usize]);
    name.push_str(GIVEN[rng.below(GIVEN.len() as u64) as usize]);
    // About half of mainland given names have two characters.
    if name.chars().count() == 2 && rng.chance(0.45) {
        name.push_str(GIVEN_TAIL[rng.below(GIVEN_TAIL.len() as u64) as usize]);
    }
    name
}

/// `n` distinct names, skipping any in `taken` (and adding them to it).
pub fn distinct_names(rng: &mut Rng, n: usize, taken: &mut HashSet<String>) -> Vec<String> {
    let mut out = Vec::with_capacity(n);
    while out.len() < n {
        let mut name = one_name(rng);
        // The combinations run out only beyond ~100k people; number the rest.
        let mut tries = 0;
        while taken.contains(&name) && tries < 50 {
            name = one_name(rng);
            tries += 1;
        }
        if taken.contains(&name) {
            name = format!("{name}{}", out.len() + 2);
        }
        taken.insert(name.clone());
        out.push(name);
    }
    out
}

/// Chinese numerals for team numbers: 1 → 一, 12 → 十二, 23 → 二十三.
pub fn chinese_number(n: u32) -> String {
    const DIGITS: [&str; 10] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    match n {
        0..=9 => DIGITS[n as usize].to_string(),
        10..=19 => format!(
            "十{}",
            if n == 10 {
                ""
            } else {
                DIGITS[(n % 10) as usize]
            }
        ),
        20..=99 => format!(
            "{}十{}",
            DIGITS[(n / 10) as usize],
            if n.is_multiple_of(10) {
                ""
            } else {
                DIGITS[(n % 10) as usize]
            }
        ),
        _ => n.to_string(),
    }
}

/// Contact notes by category: consult, complaint, tech, suggestion.
/// None of these may contain a red-line phrase (a unit test checks).
pub const NOTES: [&[&str]; 4] = [
    &[
        "咨询退货流程，已告知 7 天无理由退货规则",
        "Asked about the return process; explained the 7-day policy",
        "查询订单物流，已提供快递单号",
        "Order tracking request, gave courier number",
        "咨询会员积分到期时间",
        "Asked how to change the delivery address",
        "咨询发票开具，已发送电子发票",
        "Wanted to know the warranty period for the blender",
        "询问门店营业时间",
        "Asked whether the coupon stacks with the member discount",
    ],
    &[
        "客户投诉配送延迟三天，已催件",
        "Complaint: delivery three days late, escalated to logistics",
        "退款七天未到账，客户情绪激动",
        "Refund not received after 7 days, customer upset",
        "对上次通话的坐席态度不满",
        "Unhappy with previous agent, says she was cut off",
        "商品破损，要求换货",
        "Charged twice for one order, asked for refund today",
        "多次来电未解决，要求主管回电",
        "Installer did not show up, second time this week",
    ],
    &[
        "App 登录失败，已指导清除缓存后重试",
        "Login fails in app, cleared cache and reinstalled",
        "支付页面超时，已提交技术排查",
        "Payment page times out at checkout, ticket raised to IT",
        "收不到验证码短信",
        "Smart speaker cannot connect to Wi-Fi after update",
        "小程序下单报错 502",
        "Password reset email not arriving",
        "设备固件升级失败，远程协助",
        "Order page shows wrong price after coupon",
    ],
    &[
        "建议增加夜间在线客服",
        "Suggests adding live chat at night",
        "建议物流信息推送更及时",
        "Would like invoices to be emailed automatically",
        "建议 App 增加订单合并支付",
        "Suggests shorter IVR menu for VIP members",
    ],
];

/// Transcript excerpts with a red-line phrase (abuse, mockery, refusal);
/// every one contains a phrase of `DEFAULT_RED_LINE` (a unit test checks).
pub const RED_LINE_NOTES: &[&str] = &[
    "坐席：这个不归我管，你找快递去",
    "Agent: that's not my problem, call the courier yourself",
    "坐席回复：爱买不买",
    "Agent said \"whatever\" and closed the chat",
    "坐席：你自己看着办吧",
    "Agent: I can't help you with that, deal with it",
    "录音显示坐席说\u{201c}闭嘴\u{201d}，客户要求投诉",
    "Transcript: agent told the customer to shut up",
];

/// Survey comments: (text, fits a good score).
pub const SURVEY_COMMENTS: &[(&str, bool)] = &[
    ("很满意，解决得很快", true),
    ("Quick and helpful, thanks", true),
    ("客服很耐心", true),
    ("Agent explained everything clearly", true),
    ("服务态度好", true),
    ("等待时间太长", false),
    ("Waited too long on hold", false),
    ("问题还没解决", false),
    ("Had to explain my problem three times", false),
    ("转了好几次才找到人", false),
    ("Agent did not listen", false),
];

/// Feedback summaries by feedback category: attitude, expertise, process, system.
pub const FEEDBACK_SUMMARIES: [&[&str]; 4] = [
    &[
        "坐席态度冷淡，客户要求道歉",
        "Agent was dismissive and interrupted the customer",
        "客户反映坐席挂断电话",
    ],
    &[
        "答复错误导致重复来电",
        "Wrong answer about refund rules, customer called again",
        "坐席不熟悉会员权益",
    ],
    &[
        "退款流程太长，超过承诺时效",
        "Exchange needs three approvals, customer waited a week",
        "回访承诺未兑现",
        "Suggestion: merge orders into one delivery",
    ],
    &[
        "App 支付失败，扣款未下单",
        "Coupon not applied at checkout",
        "短信验证码延迟",
        "Order status not updated in app",
    ],
];

/// Results written when an item is resolved, by feedback category.
pub const FEEDBACK_RESULTS: [&[&str]; 4] = [
    &[
        "已向客户致歉，坐席已辅导",
        "Apologised; agent coached by team lead",
    ],
    &[
        "已更正答复并补发 20 元优惠券",
        "Corrected the answer, added FAQ entry",
    ],
    &[
        "已加急退款并优化审批节点",
        "Refund expedited; approval step removed",
        "已转产品团队评估",
    ],
    &[
        "已提交技术修复并补偿",
        "Bug fixed in release 5.2; order restored",
    ],
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::settings::DEFAULT_RED_LINE;

    fn has_red_line(s: &str) -> bool {
        let lower = s.to_lowercase();
        DEFAULT_RED_LINE
            .iter()
            .any(|p| lower.contains(&p.to_lowercase()))
    }

    #[test]
    fn ordinary_texts_never_hit_the_red_line() {
        let ordinary = NOTES
            .iter()
            .flat_map(|n| n.iter())
            .chain(SURVEY_COMMENTS.iter().map(|(t, _)| t))
            .chain(FEEDBACK_SUMMARIES.iter().flat_map(|n| n.iter()))
            .chain(FEEDBACK_RESULTS.iter().flat_map(|n| n.iter()));
        for t in ordinary {
            assert!(!has_red_line(t), "{t}");
        }
    }

    #[test]
    fn red_line_texts_all_hit() {
        for t in RED_LINE_NOTES {
            assert!(has_red_line(t), "{t}");
        }
    }

    #[test]
    fn chinese_numbers() {
        assert_eq!(chinese_number(1), "一");
        assert_eq!(chinese_number(10), "十");
        assert_eq!(chinese_number(12), "十二");
        assert_eq!(chinese_number(20), "二十");
        assert_eq!(chinese_number(23), "二十三");
    }

    #[test]
    fn names_are_distinct() {
        let mut rng = Rng::new(3, 0);
        let mut taken = HashSet::new();
        let names = distinct_names(&mut rng, 2000, &mut taken);
        let set: HashSet<&String> = names.iter().collect();
        assert_eq!(set.len(), 2000);
        assert!(names.iter().any(|n| n.is_ascii()));
        assert!(names.iter().any(|n| !n.is_ascii()));
    }
}
